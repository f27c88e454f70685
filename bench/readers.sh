#!/bin/sh
# Whole-job times of `lsc score` on the same synthetic matrix from a 10x MTX
# folder, a Cell Ranger HDF5 and a gzip CSR h5ad, beside h5py reading the same
# arrays (the reading floor) and the per-core inflate rates. Not part of the tests.
#
#   sh bench/readers.sh 10000          # cells; writes /tmp/lsc-readers-<cells>*
#
# Needs Debian's /usr/bin/python3 with python3-h5py. Prints wall seconds, user
# and system CPU seconds and peak memory (GNU time) per run.
set -eu
CELLS=${1:-10000}
D=${TMPDIR:-/tmp}/lsc-readers-$CELLS
PY=/usr/bin/python3
[ -f "$D/matrix.mtx.gz" ] || go run ./bench/gen -cells "$CELLS" -out "$D"
[ -f "$D.h5ad" ] || go run ./bench/gen -cells "$CELLS" -out "$D-csr" -csr | $PY bench/h5ad.py "$D-csr" "$D.h5ad"
[ -f "$D.h5" ] || go run ./bench/gen -cells "$CELLS" -out "$D-csr" -csr | $PY bench/h5ad.py --10x "$D-csr" "$D.h5"
go build -o "$D-lsc" ./cmd/lsc
T='%e s wall, %U s user, %S s sys, %M KB'
for in in "$D" "$D.h5" "$D.h5ad"; do
	/usr/bin/time -f "lsc ucell $(basename "$in"): $T" "$D-lsc" score "$in" -s "$D/sets.gmt" -m ucell -o "$D.out.tsv" --force -q
done
/usr/bin/time -f "h5py read X of the h5ad: $T" $PY -c "import h5py,sys; f=h5py.File(sys.argv[1]); [f[k][:] for k in ('X/data','X/indices','X/indptr')]" "$D.h5ad"
/usr/bin/time -f "h5py read matrix of the .h5: $T" $PY -c "import h5py,sys; f=h5py.File(sys.argv[1]); [f[k][:] for k in ('matrix/data','matrix/indices','matrix/indptr')]" "$D.h5"
for f in "$D.h5ad" "$D.h5"; do
	LSC_BENCH_H5=$f go test -run '^$' -bench Inflate -benchtime 8x ./formats/hdf5x | grep Benchmark
done
