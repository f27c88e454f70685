#!/bin/sh
# A study as a Snakemake workflow against lsc stemcells in one process (bench/README.md).
#
#   sh bench/workflow.sh 200 [CELLS]     # samples (default 200), cells per sample (default 10000)
#
# Every row of the sheet points at one bench/gen MTX folder (written once, 94 MB at 10,000 cells).
# Runs, each under GNU time (wall, user + system CPU, peak RSS):
#   1. lsc stemcells --jobs 2 over the sheet, one process;
#   2. lsc workflow init with the same flags;
#   3. snakemake --cores 2 on the workflow, with every job's lsc run under GNU time too
#      (config.yaml's lsc is a wrapper writing logs/time/<job>.txt).
# Prints a summary per step and per rule (jobs, wall and CPU per job, peak RSS). Writes under
# ${TMPDIR:-/tmp}/lsc-wfbench-N-CELLS. Not part of the tests.
set -eu
N=${1:-200}
CELLS=${2:-10000}
ROOT=${TMPDIR:-/tmp}
DATA=$ROOT/lsc-bench-$CELLS
DIR=$ROOT/lsc-wfbench-$N-$CELLS
[ -f "$DATA/matrix.mtx.gz" ] || go run ./bench/gen -cells "$CELLS" -out "$DATA"
rm -rf "$DIR"
mkdir -p "$DIR"
go build -o "$DIR/lsc" ./cmd/lsc
printf 'sample\tpatient\ttimepoint\tpath\n' >"$DIR/study.tsv"
i=1
while [ "$i" -le "$N" ]; do
	printf 'S%03d\tP%03d\tdiagnosis\t%s\n' "$i" "$i" "$DATA" >>"$DIR/study.tsv"
	i=$((i + 1))
done
FLAGS="--signature $DATA/sets.gmt:set01 --method ucell"
T='%e s wall, %U s user, %S s sys, %M KB peak RSS'
cd "$DIR"
echo "load before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
/usr/bin/time -f "stemcells one process: $T" ./lsc stemcells --samples "$DIR/study.tsv" $FLAGS --jobs 2 --out one -q
cat >timed-lsc <<EOF
#!/bin/sh
# lsc under GNU time: one file per job in logs/time/
mkdir -p logs/time
exec /usr/bin/time -f '%e %U %S %M' -o "logs/time/\$\$.txt" $DIR/lsc "\$@"
EOF
chmod +x timed-lsc
/usr/bin/time -f "workflow init: $T" ./lsc workflow init --samples "$DIR/study.tsv" $FLAGS --lsc "$DIR/timed-lsc" --out wf -q
echo "load before snakemake: $(cut -d ' ' -f 1-3 /proc/loadavg)"
/usr/bin/time -f "snakemake --cores 2 (snakemake's own peak RSS): $T" snakemake -s wf/Snakefile --cores 2 --quiet
echo "load after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
for f in cells.tsv samples.tsv patients.tsv report.html; do
	cmp -s "one/$f" "wf/results/$f" && echo "$f: identical" || echo "$f: DIFFERS"
done
# Per job: the gather job is the one whose file is newest.
last=$(ls -t wf/logs/time/*.txt | head -n 1)
echo "gather job (wall user sys KB): $(cat "$last")"
cat $(ls wf/logs/time/*.txt | grep -v "^$last\$") | awk '{n++; w+=$1; c+=$2+$3; if ($4>m) m=$4; if (n==1||$1<wmin) wmin=$1; if ($1>wmax) wmax=$1}
	END {printf "score jobs: %d, wall per job mean %.2f s (min %.2f, max %.2f), CPU per job mean %.2f s, peak RSS max %d KB, CPU total %.1f s\n", n, w/n, wmin, wmax, c/n, m, c}'
