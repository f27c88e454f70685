//go:build !unix

package main

import "math"

// cpuSeconds is not measured on this system: NaN, printed as such.
func cpuSeconds() float64 { return math.NaN() }
