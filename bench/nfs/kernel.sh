#!/bin/bash
# bench/nfs/kernel.sh - the kernel client bench job (../shared/kernel-client/jobs/bench.sh: dd, cp, tar -x, find,
# diff -r, git, fio, rm -rf under QEMU) against nfs-ganesha and then against Fathom, back to back over NFSv4.2.
# Prints each step's seconds, the speed ratio ganesha_time / Fathom_time (above 1 = Fathom faster), fio IOPS
# and Fathom's peak RSS. Needs root (ganesha runs in a private namespace). About 10-15 minutes.
# Each guest first runs the job once unmeasured (BIG_MB=32, no fio: a server just started, whose JIT compiles its
# hot paths meanwhile), then the measured run: the steady state of a server that has been running. WARM=0: cold.
#   bench/nfs/kernel.sh            env: VERS=4.2 JOB=jobs/bench.sh SKIP_GANESHA=1 (reuse $OUT/ganesha.txt) WARM=1
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KC=${KERNEL_CLIENT_DIR:-$(cd "$ROOT/../shared/kernel-client" && pwd)}
GUEST=${GUEST_DIR:-/tmp/fathom-guest}
VERS=${VERS:-4.2}
JOB=${JOB:-jobs/bench.sh}
OUT=${OUT:-$(mktemp -d /tmp/fathom-kbench.XXXXXX)}
mkdir -p "$OUT"
export SKIP_FSX=${SKIP_FSX:-1}

[ -f "$GUEST/vmlinuz" ] || "$KC/build-guest.sh" "$GUEST" >&2

# The guest gets one script: the job, embedded, run once quietly (its output only if it fails) and then measured.
case $JOB in /*) JOB_FILE=$JOB ;; *) JOB_FILE=$KC/$JOB ;; esac
if [ "${WARM:-1}" != 0 ]; then
  {
    echo 'export NFS_SERVER NFS_PORT NFS_EXPORT NFS_MNT'
    echo "cat > /tmp/measured-job.sh <<'FATHOM_JOB_EOF'"
    cat "$JOB_FILE"
    echo "FATHOM_JOB_EOF"
    echo 'echo "## warm-up run of the job (not measured)"'
    echo 'BIG_MB=32 SKIP_FIO=1 bash /tmp/measured-job.sh > /tmp/warm.out 2>&1 || { cat /tmp/warm.out; exit 1; }'
    echo 'exec bash /tmp/measured-job.sh'
  } > "$OUT/job.sh"
  JOB=$OUT/job.sh
fi

if [ "${SKIP_GANESHA:-0}" != 1 ]; then
  echo "## nfs-ganesha" >&2
  (cd "$KC" && ./test-ganesha.sh "$JOB" -t 1800 -o "vers=$VERS") > "$OUT/ganesha.txt" 2>&1
fi

echo "## Fathom" >&2
WORK=$(mktemp -d /tmp/fathom-kbench-srv.XXXXXX)
cd "$ROOT"
bin/tuned-node --import tsx src/nfs/v4/dev-serve.ts --dir "$WORK" > "$WORK/serve.out" 2> "$WORK/serve.log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do grep -q '^listening' "$WORK/serve.out" 2>/dev/null && break; sleep 0.2; done
PORT=$(awk '/^listening/{print $3}' "$WORK/serve.out")
[ -n "$PORT" ] || { cat "$WORK/serve.log" >&2; exit 1; }
SERVER=$(pgrep -P "$PID" node || echo "$PID")   # tsx runs the server in a child process
(cd "$KC" && ./run-guest.sh -t 1800 -o "vers=$VERS" "$PORT" /fs-0123456789abcdef0 "$JOB") > "$OUT/fathom.txt" 2>&1
echo "PEAK_RSS_MIB $(( $(awk '/VmHWM/ {print $2}' /proc/"$SERVER"/status) / 1024 ))" >> "$OUT/fathom.txt"

node --import tsx "$ROOT/bench/nfs/compare-kernel.ts" "$OUT/ganesha.txt" "$OUT/fathom.txt"
echo "(raw outputs in $OUT)"
