#!/bin/bash
# bench/nfs/run.sh - NFSv3 figures for nfs-ganesha and for Fathom, back to back, in a private loopback
# namespace (../shared/bench/in-netns.sh; needs root): the libnfs small-file benchmark (nfsbench.c) and a
# 1 GiB nfs-cp write / nfs-cat read. Prints each figure, the ratio Fathom/ganesha and Fathom's peak RSS.
# ROUNDS=k runs both servers k times (which goes first alternates) and compares the medians (a shared
# machine's speed drifts by 20-40% within a minute; one round compares whatever each server happened to get).
#   bench/nfs/run.sh            N=2000 files, BIG_MIB=1024, ROUNDS=1; override with N=... BIG_MIB=... ROUNDS=...
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED_BENCH:-$(cd "$ROOT/../shared/bench" && pwd)}
export N=${N:-2000}
BIG_MIB=${BIG_MIB:-1024}
WORK=$(mktemp -d /tmp/fathom-nfsbench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

gcc -O2 -Wall -o "$WORK/nfsbench" "$SHARED/nfsbench.c" -lnfs
head -c $((BIG_MIB * 1048576)) /dev/urandom > "$WORK/big.bin"
export NFSBENCH=$WORK/nfsbench BIG=$WORK/big.bin

ganesha_round() {
  echo "## nfs-ganesha (round $1)"
  GANESHA=1 QUERY='nfsport=2049&mountport=20048' SERVER_PID_FILE="${GANESHA_STATE:-/tmp/fathom-ganesha-bench}/run/ganesha.pid" \
    "$SHARED/in-netns.sh" \
    "$ROOT/bench/nfs/measure.sh" ganesha 'nfs://127.0.0.1/export' | tee -a "$WORK/ganesha.txt"
  rm -rf "${GANESHA_STATE:-/tmp/fathom-ganesha-bench}/export/"* 2>/dev/null || true
}

fathom_round() {
  echo "## Fathom (round $1)"
  QUERY='nfsport=2049&mountport=2049' "$SHARED/in-netns.sh" "$ROOT/bench/nfs/fathom-side.sh" | tee -a "$WORK/fathom.txt"
}

for round in $(seq 1 "${ROUNDS:-1}"); do
  # Odd rounds ganesha first, even rounds Fathom first: a drift in the machine's speed favours neither.
  if [ $((round % 2)) = 1 ]; then ganesha_round "$round"; fathom_round "$round"
  else fathom_round "$round"; ganesha_round "$round"; fi
done

node --import tsx "$ROOT/bench/nfs/compare.ts" "$WORK/ganesha.txt" "$WORK/fathom.txt"
