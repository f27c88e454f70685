#!/bin/sh
# `lsc flow compartments` on 10, 30 and 100 FCS files (copies of fcsparser's
# FACS Diva test file: 83,411 events, CD45/CD34/CD38 with a SPILL matrix), then
# FlowKit gating the Gating-ML lsc wrote (gates.xml) on the same 100 files.
# Whole process each, GNU time. Not part of the tests.
#
#   sh bench/peers-flow.sh                               # lsc only
#   FLOWKIT_PATH=/path/with/flowkit sh bench/peers-flow.sh   # and FlowKit
#
# FLOWKIT_PATH is a PYTHONPATH holding flowkit and its pure-Python
# dependencies (Debian 12's /usr/bin/python3 has numpy, pandas, scipy, lxml,
# networkx, psutil, matplotlib, seaborn as packages).
set -eu
SRC=${FCS:-../shared/testdata/flow/fcsparser/FACS_Diva/facs_diva_test.fcs}
D=${TMPDIR:-/tmp}/lsc-flow
T='%e s wall, %U s user, %S s sys, %M KB'
mkdir -p "$D"
go build -o "$D/lsc" ./cmd/lsc
for n in 10 30 100; do
	mkdir -p "$D/in$n"
	i=1
	while [ $i -le $n ]; do
		f=$(printf '%s/in%d/s%03d.fcs' "$D" $n $i)
		[ -f "$f" ] || cp "$SRC" "$f"
		i=$((i + 1))
	done
	/usr/bin/time -f "lsc flow compartments, $n files: $T" "$D/lsc" flow compartments "$D/in$n"/*.fcs --out "$D/out$n" --force -q
done
[ -n "${FLOWKIT_PATH:-}" ] || exit 0
PYTHONPATH=$FLOWKIT_PATH /usr/bin/time -f "FlowKit gate_sample, 100 files: $T" \
	/usr/bin/python3 bench/peers-flowkit.py "$D/out100/gates.xml" "$D/in100"/*.fcs >"$D/flowkit100.tsv"
# Same counts? lsc's compartments.tsv (sample, compartment, count of the measured ones) against FlowKit's.
awk -F'\t' 'NR > 1 && $6 == "yes" { print $1 "\t" $4 "\t" $7 }' "$D/out100/compartments.tsv" | sort >"$D/lsc100.counts"
sort "$D/flowkit100.tsv" >"$D/flowkit100.counts"
if cmp -s "$D/lsc100.counts" "$D/flowkit100.counts"; then
	echo "counts: identical ($(wc -l <"$D/lsc100.counts") sample x gate counts)"
else
	echo "counts differ:"; diff "$D/lsc100.counts" "$D/flowkit100.counts" | head
fi
