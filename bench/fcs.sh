#!/bin/sh
# Side-by-side FCS reading: lsc (Go benchmark) and FlowIO (Python), where a
# FlowIO checkout and numpy are available. Not part of the test run.
#
#   FLOWIO_SRC=/path/to/FlowIO/src sh bench/fcs.sh [../shared/testdata/flow]
#
# Prints seconds per read of each file for both, and the ratio.
set -eu
DATA=${1:-../shared/testdata/flow}
PY=${PYTHON:-/usr/bin/python3}
go test -run='^$' -bench 'ReadFCS' -benchtime=3s ./flow/fcs/ | grep Benchmark
if [ -z "${FLOWIO_SRC:-}" ]; then
	echo "FLOWIO_SRC not set: FlowIO side skipped"; exit 0
fi
PYTHONPATH="$FLOWIO_SRC" "$PY" - "$DATA" <<'PYEOF'
import sys, time, flowio
data = sys.argv[1]
for f in ["flowkit/100715.fcs", "flowio/fcs_files/3FITC_4PE_004.fcs"]:
    p = data + "/" + f
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 3:
        d = flowio.FlowData(p)
        d.as_array(preprocess=False)
        n += 1
    print("FlowIO %-40s %.4f s/read" % (f, (time.perf_counter() - t0) / n))
PYEOF
