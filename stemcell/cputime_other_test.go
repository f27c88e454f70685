//go:build !unix

package stemcell

func cpuSeconds() float64 { return 0 }
