// Package hugepage allocates large byte buffers that Linux may back with
// transparent huge pages.
//
// A buffer touched for the first time costs a page fault per 4 KiB page. On
// the 2-core VM the benchmarks run on (bench/README.md, "Where the MTX
// job's time went") that is about 9 us a fault, and filling 64 MiB cost
// 16,000 of them. Where transparent huge pages are enabled for regions that
// ask for them (/sys/kernel/mm/transparent_hugepage/enabled set to madvise
// or always), Bytes asks for them with madvise(MADV_HUGEPAGE) before the
// buffer is first touched, and a 2 MiB region then costs one fault. The
// buffer is ordinary Go memory, collected like any other; the advice only
// changes how the kernel backs it. Elsewhere, and where the advice is
// refused, Bytes is make.
package hugepage
