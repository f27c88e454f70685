package twin

import (
	"sort"
	"strconv"
	"sync"
)

func fmtP(p float64) string { return strconv.FormatFloat(p, 'g', 3, 64) }

func sortFloats(v []float64) { sort.Float64s(v) }

// parallel runs f(0..n-1) on up to jobs goroutines; the first error wins
// (by index, so the result is deterministic).
func parallel(n, jobs int, f func(i int) error) error {
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

func fmtInt(n int) string { return strconv.Itoa(n) }
