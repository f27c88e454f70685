#!/bin/sh
# Web app under load (bench/README.md): serves DB with LSC, runs bench/webload
# against it with CLIENTS readers for SECONDS (and, with IMPORT, a run
# archive posted while they read), and prints the server's CPU seconds
# (user+system from /proc) and the load average before and after.
#   LSC=./lsc WEBLOAD=./webload bench/webload.sh DB TOKEN [CLIENTS] [SECONDS] [IMPORT.tgz] [PPROF_OUT]
# THINK=1s (environment) gives each client a pause between its requests
# (webload -think; THINK_RANDOM=1 for a seeded-random pause, same mean);
# PATIENTS=K draws only from the first K patients (webload -patients).
# DB is a SQLite file or a postgres:// URL holding a study (bench/studybench)
# and a user whose TOKEN may read it (and import, for IMPORT: analyst).
set -eu
db=$1 token=$2 clients=${3:-200} secs=${4:-30} imp=${5:-} prof=${6:-}
LSC=${LSC:-lsc} WEBLOAD=${WEBLOAD:-webload}
port=${PORT:-18080}
$LSC serve -q --db "$db" --addr 127.0.0.1:$port --pprof 127.0.0.1:$((port+1)) &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for i in $(seq 1 100); do
  curl -fs http://127.0.0.1:$port/healthz >/dev/null 2>&1 && break
  sleep 0.2
done
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
tck=$(getconf CLK_TCK)
c0=$(cpu); echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$prof" ]; then
  (sleep $((secs / 3)); curl -s "http://127.0.0.1:$((port+1))/debug/pprof/profile?seconds=$((secs / 2))" >"$prof.cpu";
   curl -s "http://127.0.0.1:$((port+1))/debug/pprof/goroutine?debug=1" >"$prof.goroutine.txt") &
  ppid=$!
fi
set +e
$WEBLOAD -base http://127.0.0.1:$port -token "$token" -c "$clients" -d "${secs}s" -n 100000000 ${imp:+-import "$imp"} \
  ${THINK:+-think "$THINK"} ${THINK_RANDOM:+-think-random} ${PATIENTS:+-patients "$PATIENTS"}
rc=$?
set -e
c1=$(cpu)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server CPU: $(echo "($c1 - $c0) / $tck" | bc -l | cut -c1-6) s (user+system) in ${secs} s"
[ -n "$prof" ] && wait $ppid
exit $rc
