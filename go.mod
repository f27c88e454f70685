module github.com/lsc-bio/lsc

go 1.26.8

require (
	github.com/klauspost/compress v1.20.3
	github.com/scigolib/hdf5 v0.14.1
)
