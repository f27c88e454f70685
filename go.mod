module github.com/lsc-bio/lsc

go 1.26.8

require (
	github.com/klauspost/compress v1.20.3
	github.com/scigolib/hdf5 v0.14.1
	github.com/spf13/cobra v1.10.2
	github.com/spf13/pflag v1.0.9
	golang.org/x/term v0.38.0
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	golang.org/x/sys v0.39.0 // indirect
)
