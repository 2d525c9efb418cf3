#!/bin/bash
# kernel-smoke.sh - the real Linux kernel NFS client against Fathom: builds the QEMU guest if missing,
# starts a Fathom NFS server on 127.0.0.1 (ephemeral port) over a fresh engine volume, runs the smoke job
# over NFSv4.1 and NFSv4.2, a POSIX behaviour job over 4.2 (SKIP_POSIX=1 skips it) and a server restart
# under a client holding an open, locked file (SKIP_RESTART=1 skips it). Exit non-zero when any run fails.
# Env: KERNEL_CLIENT_DIR (default ../shared/kernel-client beside the repository), GUEST_DIR (default /tmp/fathom-guest),
#      JOB (default jobs/smoke.sh), VERSIONS (default "4.1 4.2").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KC=${KERNEL_CLIENT_DIR:-$(cd "$ROOT/../shared/kernel-client" && pwd)}
GUEST=${GUEST_DIR:-/tmp/fathom-guest}
JOB=${JOB:-jobs/smoke.sh}
EXPORT=/fs-0123456789abcdef0

if [ ! -f "$GUEST/vmlinuz" ] || [ ! -f "$GUEST/rootfs.img" ]; then
  echo "## building the guest into $GUEST" >&2
  "$KC/build-guest.sh" "$GUEST" >&2
fi

WORK=$(mktemp -d /tmp/fathom-kernel-smoke.XXXXXX)
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$ROOT"
. "$ROOT/src/nfs/v4/testing/guest-run.sh"
node --import tsx src/nfs/v4/dev-serve.ts --dir "$WORK" --log info >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  grep -q '^listening' "$WORK/serve.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; echo "server died" >&2; exit 1; }
  sleep 0.2
done
PORT=$(awk '/^listening/{print $3}' "$WORK/serve.out")
[ -n "$PORT" ] || { echo "server did not start" >&2; exit 1; }
echo "## Fathom NFS on 127.0.0.1:$PORT"

failed=0
for v in ${VERSIONS:-4.1 4.2}; do
  echo "## NFSv$v: $JOB"
  if guest_job "$KC" "$WORK/smoke.out" -t 900 -o "vers=$v" "$PORT" "$EXPORT" "$JOB"; then
    echo "## NFSv$v: PASS"
  else
    rc=$?
    echo "## NFSv$v: FAIL (exit $rc)"
    failed=1
  fi
done
# POSIX behaviour (links, locks across processes, SEEK, hole punching) over the newest minor version.
POSIX_JOB="$ROOT/src/nfs/v4/testing/kernel-posix-job.sh"
if [ "${SKIP_POSIX:-0}" != 1 ]; then
  echo "## NFSv4.2: $POSIX_JOB"
  guest_job "$KC" "$WORK/posix.out" -t 600 -o vers=4.2 "$PORT" "$EXPORT" "$POSIX_JOB" || true
  if grep -q 'FUNC-OK' "$WORK/posix.out"; then
    echo "## NFSv4.2 posix job: PASS"
  else
    echo "## NFSv4.2 posix job: FAIL"
    failed=1
  fi
fi
# The kernel client keeps its open file and lock across a server restart (reclaim in the grace period).
if [ "${SKIP_RESTART:-0}" != 1 ]; then
  echo "## NFSv4.1: server restart with an open, locked file"
  if KERNEL_CLIENT_DIR="$KC" "$ROOT/src/nfs/v4/testing/kernel-restart.sh"; then
    echo "## NFSv4.1 restart/reclaim: PASS"
  else
    echo "## NFSv4.1 restart/reclaim: FAIL"
    failed=1
  fi
fi
if [ "$failed" != 0 ]; then
  echo "## server log (last 40 lines):"; tail -40 "$WORK/serve.log"
fi
exit "$failed"
