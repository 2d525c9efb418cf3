#!/bin/bash
# bench/nfs/op-cpu.sh - the server's CPU per NFSv4.1 compound (op-cpu.ts: the compounds a Linux client sends for
# small files, one at a time over loopback) for nfs-ganesha and for Fathom, each in a private loopback namespace
# (../shared/bench/in-netns.sh; needs root). No guest shares the CPUs, so the figures hold still from run to run
# far better than the kernel client bench's. Prints both servers' lines and the ratio ganesha/Fathom of CPU per compound.
#   bench/nfs/op-cpu.sh            env: FILES=2000 WARM_FILES=500 ROUNDS=1
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED_BENCH:-$(cd "$ROOT/../shared/bench" && pwd)}
FILES=${FILES:-2000}
OUT=$(mktemp -d /tmp/fathom-opcpu.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
# A pass of WARM_FILES first, not reported: a server just started compiles its hot paths meanwhile (as kernel.sh's warm-up).
WARM_FILES=${WARM_FILES:-500}
CLIENT() { echo "node --import tsx $ROOT/bench/nfs/op-cpu.ts $1 $2 $WARM_FILES $3 > /dev/null && node --import tsx $ROOT/bench/nfs/op-cpu.ts $1 $2 $FILES $3"; }

ganesha_round() {
  # Inside the namespace: ganesha is up (in-netns.sh), its pid in the pid file.
  GANESHA=1 "$SHARED/in-netns.sh" bash -c "cd '$ROOT' && $(CLIENT 2049 export "\$(cat ${GANESHA_STATE:-/tmp/fathom-ganesha-bench}/run/ganesha.pid)")" |
    tee -a "$OUT/ganesha.txt"
  rm -rf "${GANESHA_STATE:-/tmp/fathom-ganesha-bench}/export/"* 2>/dev/null || true
}

fathom_round() {
  "$SHARED/in-netns.sh" bash -c "cd '$ROOT' && LOG=\$(mktemp) DIR=\$(mktemp -d) &&
    { bin/tuned-node --import tsx src/nfs/v4/dev-serve.ts --port 2049 --dir \$DIR > \$LOG 2>&1 & } &&
    for _ in \$(seq 1 100); do grep -q '^listening' \$LOG && break; sleep 0.1; done &&
    $(CLIENT 2049 fs-0123456789abcdef0 "\$(pgrep -f \"dev-serve.ts --port 2049 --dir \$DIR\")"); rc=\$?;
    pkill -f \"dev-serve.ts --port 2049 --dir \$DIR\"; sleep 0.5; rm -rf \$DIR \$LOG; exit \$rc" | tee -a "$OUT/fathom.txt"
}

for round in $(seq 1 "${ROUNDS:-1}"); do
  # Odd rounds ganesha first, even rounds Fathom first (as run.sh).
  echo "## round $round"
  if [ $((round % 2)) = 1 ]; then ganesha_round; fathom_round; else fathom_round; ganesha_round; fi
done
node --import tsx "$ROOT/bench/nfs/compare-op-cpu.ts" "$OUT/ganesha.txt" "$OUT/fathom.txt"
