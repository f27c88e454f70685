#!/bin/sh
# Side-by-side scoring benchmark: lsc and, where R has them, UCell and AUCell,
# on the same synthetic matrix (50 gene sets of 50 genes, 30,000 genes).
#
#   sh bench/score.sh 10000            # cells; writes /tmp/lsc-bench-<cells>
#   R_LIBS=/path/to/lib sh bench/score.sh 10000
#
# Prints wall seconds and peak memory (GNU time) per tool. Not part of the tests.
set -eu
CELLS=${1:-10000}
DIR=${TMPDIR:-/tmp}/lsc-bench-$CELLS
[ -f "$DIR/matrix.mtx.gz" ] || go run ./bench/gen -cells "$CELLS" -out "$DIR"
go build -o "$DIR/lsc" ./cmd/lsc
for m in ucell aucell singscore mean; do
	/usr/bin/time -f "lsc $m\t%e s\t%M KB" "$DIR/lsc" score "$DIR" -s "$DIR/sets.gmt" -m "$m" -o "$DIR/$m.tsv" --force -q
done
if command -v Rscript >/dev/null; then
	/usr/bin/time -f "R total\t%e s\t%M KB" Rscript bench/peers.R "$DIR" 2
fi
