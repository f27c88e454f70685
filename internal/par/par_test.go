package par

import (
	"errors"
	"fmt"
	"testing"
)

// Every index runs once, and the error returned is the lowest index's
// whatever the number of goroutines (hand-derived: indices 3 and 7 fail).
func TestEach(t *testing.T) {
	for _, jobs := range []int{0, 1, 2, 8, 100} {
		ran := make([]int, 10)
		err := Each(10, jobs, func(i int) error {
			ran[i]++
			if i == 3 || i == 7 {
				return fmt.Errorf("index %d", i)
			}
			return nil
		})
		for i, n := range ran {
			if n != 1 {
				t.Errorf("jobs %d: index %d ran %d times", jobs, i, n)
			}
		}
		if err == nil || err.Error() != "index 3" {
			t.Errorf("jobs %d: error %v, want index 3", jobs, err)
		}
	}
	if err := Each(0, 4, func(int) error { return errors.New("never") }); err != nil {
		t.Errorf("no work: %v", err)
	}
}
