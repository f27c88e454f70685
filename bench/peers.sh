#!/bin/sh
# Peers, whole job vs whole job (bench/README.md, "Peers, whole job"): every run
# is one process timed by GNU time (wall, user and system CPU seconds, peak
# RSS), with the 1-minute load average printed before it. Not part of the tests.
#
#   R_LIBS=/work/rlib sh bench/peers.sh score       # 10k cells x 30k genes, MTX and .h5: lsc vs R
#   R_LIBS=/work/rlib sh bench/peers.sh stemcells   # five van Galen samples: lsc stemcells vs bench/peers-stemcells.R
#   sh bench/peers.sh cox                           # 949-patient Zeng 2022 cohort: lsc survival cox vs survival::coxph
#   FLOWKIT_PATH=... sh bench/peers.sh flow         # bench/peers-flow.sh
#
# score needs the matrix of bench/readers.sh (written here if absent: bench/gen
# and, for the .h5, Debian's /usr/bin/python3 with python3-h5py) and R with
# DropletUtils, Seurat (+ hdf5r for Read10X_h5), UCell, AUCell and singscore.
# READERS (default "droplet seurat") picks the R readers; METHODS the methods.
set -eu
what=${1:-score}
shared=${SHARED:-../shared/testdata}
B=${TMPDIR:-/tmp}/lsc-peers
mkdir -p "$B"
go build -o "$B/lsc" ./cmd/lsc
T='%e s wall, %U s user, %S s sys, %M KB'
run() { # label, command...
	l=$1; shift
	echo "load $(cut -d' ' -f1 /proc/loadavg)"
	/usr/bin/time -f "$l: $T" "$@"
}
# quiet waits until the 1-minute load average is under LSC_MAX_LOAD (default 1.5).
quiet() {
	while [ "$(awk -v m="${LSC_MAX_LOAD:-1.5}" '{ print ($1 < m) }' /proc/loadavg)" != 1 ]; do sleep 3; done
}
# wall runs a command after quiet and prints its wall seconds (GNU time) on stdout.
wall() {
	quiet
	/usr/bin/time -f '%e' -o "$B/wall" "$@" >/dev/null 2>&1
	cat "$B/wall"
}

case $what in
score)
	CELLS=${CELLS:-10000}
	D=${TMPDIR:-/tmp}/lsc-readers-$CELLS
	[ -f "$D/matrix.mtx.gz" ] || go run ./bench/gen -cells "$CELLS" -out "$D"
	[ -f "$D.h5" ] || go run ./bench/gen -cells "$CELLS" -out "$D-csr" -csr | /usr/bin/python3 bench/h5ad.py --10x "$D-csr" "$D.h5"
	# Each R job runs once, then lsc LSC_RUNS times (default 5) right after
	# it, every run waiting for a quiet machine; the ratio is R's wall time
	# over lsc's median (this machine's speed drifts by more than the runs
	# of one window differ, so R and lsc are compared within a window).
	for m in ${METHODS:-ucell aucell singscore}; do
		for in in "$D" "$D.h5"; do
			n=$(basename "$in")
			for r in ${READERS:-droplet seurat}; do
				rw=$(wall Rscript bench/peers-job.R "$in" "$D/sets.gmt" "$m" "$B/R-$r-$m-$n.tsv" "$r" 2)
				: >"$B/lsc-walls"
				for k in $(seq "${LSC_RUNS:-5}"); do
					wall "$B/lsc" score "$in" -s "$D/sets.gmt" -m "$m" -o "$B/lsc-$m-$n.tsv" --force -q >>"$B/lsc-walls"
				done
				sort -n "$B/lsc-walls" | awk -v r="$rw" -v what="$m $n, R reader $r" '{ w[NR] = $1; all = all " " $1 }
					END { med = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
					printf "%s: R %s s; lsc%s s (median %.2f): %.0fx\n", what, r, all, med, r / med }'
			done
		done
	done
	;;
stemcells)
	vg=$(cd "$shared/leukemia/vangalen2019_GSE116256" && pwd)
	gmt=$(cd "$shared/leukemia/amlhierarchies_zeng2022" && pwd)/AMLCellType_Genesets.gmt
	printf 'sample\tpatient\ttimepoint\tpath\tannotation\tcelltype_column\n' >"$B/vg.tsv"
	for s in 927:AML314 950:AML419A 980:AML722B 984:AML870 992:AML997; do
		n=${s%%:*} p=${s#*:}
		printf '%s-D0\t%s\tdiagnosis\t%s/GSM3587%d_%s-D0.dem.txt.gz\t%s/GSM3587%d_%s-D0.anno.txt.gz\tCellType\n' \
			"$p" "$p" "$vg" "$n" "$p" "$vg" $((n + 1)) "$p" >>"$B/vg.tsv"
	done
	rm -rf "$B/stem"
	run "lsc stemcells" "$B/lsc" stemcells --samples "$B/vg.tsv" -s "$gmt:LSPC-Quiescent" --keep '*-like' --out "$B/stem" -q
	run "R UCell + Jenks + burden" Rscript bench/peers-stemcells.R "$B/vg.tsv" "$gmt" "$B/R-stem.tsv"
	cut -f1,4-9 "$B/stem/samples.tsv"
	cat "$B/R-stem.tsv"
	;;
cox)
	z=$shared/leukemia/amlhierarchies_zeng2022/Survival_Hierarchy_TCGA_BEAT_GSE6891.csv
	run "lsc survival cox" "$B/lsc" survival cox --data "$z" --time os --event osi --covariates PC1_cat,Age,CytogeneticRisk,NPM1 --json >"$B/lsc-cox.json"
	run "R survival::coxph" Rscript bench/peers-cox.R "$z" >"$B/R-cox.txt"
	cat "$B/R-cox.txt"
	grep -E '"(term|coef|se|concordance|n|events)"' "$B/lsc-cox.json" | tr -d ' \n'; echo
	;;
flow)
	sh bench/peers-flow.sh
	;;
*)
	echo "usage: sh bench/peers.sh score|stemcells|cox|flow" >&2; exit 2
	;;
esac
