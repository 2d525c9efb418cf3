#!/bin/bash
# measure.sh NAME EXPORT_URL_BASE - runs inside the benchmark namespace against an NFSv3 server already
# listening: nfsbench (N small files), then a 1 GiB nfs-cp write and nfs-cat read with checksums.
# Prints "FIGURE NAME key=value ..." lines that run.sh compares. With SERVER_PID (or SERVER_PID_FILE) also the
# server's CPU seconds (user + system, all threads) over each part: steadier than the rates on a shared machine.
set -euo pipefail
NAME=$1 BASE=$2            # e.g. nfs://127.0.0.1/export  and query in QUERY
QUERY=${QUERY:?}
N=${N:-2000}
BIG=${BIG:?}               # path of the 1 GiB source file
NFSBENCH=${NFSBENCH:?}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
SERVER_PID=${SERVER_PID:-$(cat "${SERVER_PID_FILE:-/nonexistent}" 2>/dev/null || true)}
# The server's CPU time so far in clock ticks, or nothing without a server pid.
ticks() { [ -n "$SERVER_PID" ] && awk '{print $14 + $15}' "/proc/$SERVER_PID/stat" || true; }
cpu_s() { [ -n "$1" ] && echo "$1 $2 $(getconf CLK_TCK)" | awk '{printf "%.2f", ($2 - $1) / $3}' || echo nan; }

c0=$(ticks)
"$NFSBENCH" "$BASE?$QUERY" "$N" > "$OUT/nfsbench.txt"
c1=$(ticks)
grep -v '^RESULT' "$OUT/nfsbench.txt"
res=$(grep '^RESULT' "$OUT/nfsbench.txt")
echo "FIGURE $NAME ${res#RESULT url=* } cpu_small_s=$(cpu_s "$c0" "$c1")" | sed 's/ n=[0-9]* size=[0-9]*//'

mib=$(( $(stat -c %s "$BIG") / 1048576 ))
t0=$(date +%s.%N) c0=$(ticks)
nfs-cp "$BIG" "$BASE/big.bin?$QUERY"
t1=$(date +%s.%N) c1=$(ticks)
nfs-cat "$BASE/big.bin?$QUERY" > "$OUT/back.bin"
t2=$(date +%s.%N) c2=$(ticks)
want=$(sha256sum < "$BIG" | cut -d' ' -f1)
got=$(sha256sum < "$OUT/back.bin" | cut -d' ' -f1)
[ "$want" = "$got" ] || { echo "checksum mismatch for $NAME" >&2; exit 1; }
echo "FIGURE $NAME write_mibs=$(echo "$mib / ($t1 - $t0)" | bc -l | xargs printf %.1f) read_mibs=$(echo "$mib / ($t2 - $t1)" | bc -l | xargs printf %.1f)" \
  "cpu_write_s=$(cpu_s "$c0" "$c1") cpu_read_s=$(cpu_s "$c1" "$c2")"
