#!/bin/bash
# measure.sh NAME EXPORT_URL_BASE - runs inside the benchmark namespace against an NFSv3 server already
# listening: nfsbench (N small files), then a 1 GiB nfs-cp write and nfs-cat read with checksums.
# Prints "FIGURE NAME key=value ..." lines that run.sh compares.
set -euo pipefail
NAME=$1 BASE=$2            # e.g. nfs://127.0.0.1/export  and query in QUERY
QUERY=${QUERY:?}
N=${N:-2000}
BIG=${BIG:?}               # path of the 1 GiB source file
NFSBENCH=${NFSBENCH:?}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

"$NFSBENCH" "$BASE?$QUERY" "$N" > "$OUT/nfsbench.txt"
grep -v '^RESULT' "$OUT/nfsbench.txt"
res=$(grep '^RESULT' "$OUT/nfsbench.txt")
echo "FIGURE $NAME ${res#RESULT url=* }" | sed 's/ n=[0-9]* size=[0-9]*//'

mib=$(( $(stat -c %s "$BIG") / 1048576 ))
t0=$(date +%s.%N)
nfs-cp "$BIG" "$BASE/big.bin?$QUERY"
t1=$(date +%s.%N)
nfs-cat "$BASE/big.bin?$QUERY" > "$OUT/back.bin"
t2=$(date +%s.%N)
want=$(sha256sum < "$BIG" | cut -d' ' -f1)
got=$(sha256sum < "$OUT/back.bin" | cut -d' ' -f1)
[ "$want" = "$got" ] || { echo "checksum mismatch for $NAME" >&2; exit 1; }
echo "FIGURE $NAME write_mibs=$(echo "$mib / ($t1 - $t0)" | bc -l | xargs printf %.1f) read_mibs=$(echo "$mib / ($t2 - $t1)" | bc -l | xargs printf %.1f)"
