// Package par runs independent pieces of work on a bounded number of
// goroutines with results that do not depend on how many run at once.
package par

import "sync"

// Each runs f(0..n-1) on up to jobs goroutines (1 when jobs < 1) and returns
// the error of the lowest index, so results and errors do not depend on
// jobs. Each f writes only its own index's results.
func Each(n, jobs int, f func(i int) error) error {
	if jobs < 1 {
		jobs = 1
	}
	errs := make([]error, n)
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = f(i)
		}(i)
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
