//go:build !unix

package repertoire

func cpuSeconds() float64 { return 0 }
