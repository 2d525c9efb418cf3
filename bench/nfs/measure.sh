#!/bin/bash
# measure.sh NAME EXPORT_URL_BASE - runs inside the benchmark namespace against an NFSv3 server already
# listening: nfsbench (N small files), then a nfs-cp write and nfs-cat read with checksums, twice. The first pass
# meets a server just started (Fathom's JIT compiles its hot paths during it) and writes WARM_MIB (default 256) of
# the big file; it is reported with a cold_ prefix. The second pass, with the whole big file, is the steady state a
# long-running server shows, and is the figure compared. WARM=0 skips the first pass.
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

# pass PREFIX SOURCE_FILE REMOTE_NAME
pass() {
  local prefix=$1 src=$2 remote=$3 c0 c1 c2 t0 t1 t2 res mib want got
  c0=$(ticks)
  "$NFSBENCH" "$BASE?$QUERY" "$N" > "$OUT/nfsbench.txt"
  c1=$(ticks)
  grep -v '^RESULT' "$OUT/nfsbench.txt" | sed "s/^/$prefix/"
  res=$(grep '^RESULT' "$OUT/nfsbench.txt")
  echo "FIGURE $NAME ${res#RESULT url=* } cpu_small_s=$(cpu_s "$c0" "$c1")" | sed 's/ n=[0-9]* size=[0-9]*//' |
    sed "s/ \([a-z_]*=\)/ $prefix\1/g"

  mib=$(( $(stat -c %s "$src") / 1048576 ))
  t0=$(date +%s.%N) c0=$(ticks)
  nfs-cp "$src" "$BASE/$remote?$QUERY"
  t1=$(date +%s.%N) c1=$(ticks)
  nfs-cat "$BASE/$remote?$QUERY" > "$OUT/back.bin"
  t2=$(date +%s.%N) c2=$(ticks)
  want=$(sha256sum < "$src" | cut -d' ' -f1)
  got=$(sha256sum < "$OUT/back.bin" | cut -d' ' -f1)
  rm -f "$OUT/back.bin"
  [ "$want" = "$got" ] || { echo "checksum mismatch for $NAME" >&2; exit 1; }
  echo "FIGURE $NAME ${prefix}write_mibs=$(echo "$mib / ($t1 - $t0)" | bc -l | xargs printf %.1f)" \
    "${prefix}read_mibs=$(echo "$mib / ($t2 - $t1)" | bc -l | xargs printf %.1f)" \
    "${prefix}cpu_write_s=$(cpu_s "$c0" "$c1") ${prefix}cpu_read_s=$(cpu_s "$c1" "$c2")"
}

if [ "${WARM:-1}" != 0 ]; then
  head -c $(( ${WARM_MIB:-256} * 1048576 )) "$BIG" > "$OUT/warm.bin"
  pass cold_ "$OUT/warm.bin" warm.bin
  rm -f "$OUT/warm.bin"
fi
pass '' "$BIG" big.bin
