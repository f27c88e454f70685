// Package flowstudy counts the stem-cell compartments of a study's flow
// samples, the work behind 'lsc flow compartments' and its per-sample
// workflow jobs.
//
// Each FCS file is gated with a marker template (flow/compartment: the
// built-in one, a file, or thresholds set from a control sample) and its
// page drawn (report.CompartmentSampleHTML). Files are measured on a bounded
// number of goroutines, or taken from the cache of an earlier run
// (DIR/cache, one file per sample, named by the input's SHA-256, its sheet
// fields and every parameter), then gathered in sample order, so the result
// is the same for any number of goroutines and with or without the cache.
// The counts and intervals are those of flow/compartment and report; this
// package adds no method of its own.
package flowstudy
