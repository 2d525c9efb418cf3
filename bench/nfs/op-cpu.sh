#!/bin/bash
# bench/nfs/op-cpu.sh - the server's CPU per NFSv4.1 compound (op-cpu.ts: the compounds a Linux client sends for
# small files, one at a time over loopback) for nfs-ganesha and for Fathom, each in a private loopback namespace
# (../shared/bench/in-netns.sh; needs root). No guest shares the CPUs, so the figures hold still from run to run
# far better than the kernel client bench's. Prints both servers' lines and the ratio ganesha/Fathom of CPU per compound.
#   bench/nfs/op-cpu.sh            env: FILES=2000 WARM_FILES=4000 ROUNDS=1
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED_BENCH:-$(cd "$ROOT/../shared/bench" && pwd)}
OUT=$(mktemp -d /tmp/fathom-opcpu.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
export FILES=${FILES:-2000} WARM_FILES=${WARM_FILES:-4000}
CLIENT=(node --import tsx "$ROOT/bench/nfs/op-cpu.ts" 2049 export)

ganesha_round() {
  GANESHA=1 SERVER_PID_FILE="${GANESHA_STATE:-/tmp/fathom-ganesha-bench}/run/ganesha.pid" "$SHARED/in-netns.sh" \
    "${CLIENT[@]}" | tee -a "$OUT/ganesha.txt"
  rm -rf "${GANESHA_STATE:-/tmp/fathom-ganesha-bench}/export/"* 2>/dev/null || true
}

# After each reply Fathom polls for a fast client's next call (src/nfs/rpc/idle-poll.ts), spending CPU while this
# client prepares it (15-25 µs per read-only compound here); ganesha does not poll, and a kernel client's gaps turn
# polling off by themselves. Off here, so that the CPU figures compare the servers' work; FATHOM_NFS_IDLE_POLL_US=100
# measures with it.
fathom_round() {
  FATHOM_NFS_IDLE_POLL_US=${FATHOM_NFS_IDLE_POLL_US:-0} \
    "$SHARED/in-netns.sh" "$ROOT/bench/nfs/fathom-side.sh" "${CLIENT[@]}" | tee -a "$OUT/fathom.txt"
}

for round in $(seq 1 "${ROUNDS:-1}"); do
  # Odd rounds ganesha first, even rounds Fathom first (as run.sh).
  echo "## round $round"
  if [ $((round % 2)) = 1 ]; then ganesha_round; fathom_round; else fathom_round; ganesha_round; fi
done
node --import tsx "$ROOT/bench/nfs/compare-op-cpu.ts" "$OUT/ganesha.txt" "$OUT/fathom.txt"
