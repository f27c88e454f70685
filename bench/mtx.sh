#!/bin/sh
# The MTX path of issue 18: inflate rates on the one gzip stream, the whole
# `lsc score` job before and after (alternating), and the CPU floor's parts.
# Not part of the tests.
#
#   sh bench/mtx.sh DIR BEFORE AFTER [RUNS]
#
# DIR: an MTX folder from `go run ./bench/gen -cells 10000 -out DIR`;
# BEFORE, AFTER: two lsc binaries (e.g. main's and a branch's). Every timed
# line starts with the 1-minute load average; a run waits (up to 10 minutes)
# for it to fall below LSC_MAX_LOAD (default 1.5). GNU time prints wall s,
# user s, system s, peak KB.
set -eu
DIR=$1
BEFORE=$2
AFTER=$3
RUNS=${4:-3}
MAX=${LSC_MAX_LOAD:-1.5}
OUT=${TMPDIR:-/tmp}/lsc-mtx-bench
mkdir -p "$OUT"
load() { cut -d' ' -f1 /proc/loadavg; }
quiet() {
	i=0
	while awk -v l="$(load)" -v m="$MAX" 'BEGIN { exit !(l >= m) }' && [ $i -lt 120 ]; do sleep 5; i=$((i + 1)); done
}
T='%e %U %S %M'

echo "== inflate, MB per CPU second of one thread (BenchmarkGzip)"
quiet
echo "load $(load)"
LSC_BENCH_GZ=$DIR/matrix.mtx.gz go test -run '^$' -bench Gzip -benchtime 4x ./inflate | grep Benchmark
quiet
echo "load $(load) zcat: $(/usr/bin/time -f "$T" sh -c "zcat $DIR/matrix.mtx.gz > /dev/null" 2>&1)"

echo "== MTX parse from text in memory (BenchmarkMTXParse)"
quiet
echo "load $(load)"
LSC_BENCH_MTX=$DIR go test -run '^$' -bench MTXParse -benchtime 4x ./formats/tenx | grep Benchmark

echo "== scoring only, 10k cells held in memory (score benchmarks)"
quiet
echo "load $(load)"
go test -run '^$' -bench 'UCell|AUCell|Singscore' -benchtime 4x ./score/ | grep Benchmark

echo "== lsc score from the MTX folder: method build load wall user sys peakKB md5"
for m in ucell aucell singscore; do
	for r in $(seq "$RUNS"); do
		for b in before after; do
			bin=$BEFORE
			[ $b = after ] && bin=$AFTER
			quiet
			l=$(load)
			t=$(/usr/bin/time -f "$T" "$bin" score "$DIR" -s "$DIR/sets.gmt" -m $m -o "$OUT/$m-$b.tsv" --force -q 2>&1)
			echo "$m $b $l $t $(md5sum < "$OUT/$m-$b.tsv" | cut -c1-8)"
		done
	done
done
