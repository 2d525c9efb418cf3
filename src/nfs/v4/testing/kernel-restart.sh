#!/bin/bash
# kernel-restart.sh - the Linux kernel client across a Fathom server restart: the guest holds an open file
# with a lock, the server is stopped and started again on the same port and data directory, and the guest
# keeps using its descriptor (reclaim during the grace period). Exit 0 when the guest prints RESTART-OK.
# Env: KERNEL_CLIENT_DIR (default /work/shared/kernel-client), VERS (default 4.1).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
KC=${KERNEL_CLIENT_DIR:-/work/shared/kernel-client}
FS=fs-0123456789abcdef0
WORK=$(mktemp -d /tmp/fathom-kernel-restart.XXXXXX)
PID=
GUEST=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  [ -n "$GUEST" ] && kill "$GUEST" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
. "$ROOT/src/nfs/v4/testing/guest-run.sh"

start_server() {  # start_server PORT
  (cd "$ROOT" && exec node --import tsx src/nfs/v4/dev-serve.ts --dir "$WORK/data" --port "$1" --log info) >"$WORK/serve.out" 2>>"$WORK/serve.log" &
  PID=$!
  for _ in $(seq 1 100); do grep -q '^listening' "$WORK/serve.out" 2>/dev/null && return 0; sleep 0.2; done
  echo "server did not start" >&2; tail -20 "$WORK/serve.log" >&2; exit 1
}
v3() { echo "nfs://127.0.0.1/$FS/$1?nfsport=$PORT&mountport=$PORT"; }

# One try: 0 when the guest printed RESTART-OK, 3 when the guest never ran its job (guest-run.sh), else 1.
attempt() {
  mkdir -p "$WORK/data"
  start_server 0
  PORT=$(awk '/^listening/{print $3}' "$WORK/serve.out")
  echo "## Fathom NFS on 127.0.0.1:$PORT"
  (cd "$KC" && ./run-guest.sh -t 900 -o "vers=${VERS:-4.1}" "$PORT" "/$FS" "$ROOT/src/nfs/v4/testing/kernel-restart-job.sh") >"$WORK/guest.out" 2>&1 &
  GUEST=$!
  for _ in $(seq 1 600); do
    nfs-ls "$(v3 '')" 2>/dev/null | grep -q ' ready$' && break
    kill -0 "$GUEST" 2>/dev/null || break # ended before it held its lock
    sleep 1
  done
  if kill -0 "$GUEST" 2>/dev/null; then
    echo "## guest holds its lock; restarting the server"
    kill "$PID"; wait "$PID" 2>/dev/null || true
    start_server "$PORT"
    echo "## server back on $PORT"
    : >"$WORK/empty"
    # attempt runs in an || list, where set -e does not apply: a failure here must return by itself.
    nfs-cp "$WORK/empty" "$(v3 restarted)" >/dev/null || { echo "## nfs-cp to the restarted server failed" >&2; return 1; }
  fi
  wait "$GUEST" || true
  GUEST=
  cat "$WORK/guest.out"
  grep -E 'grace|client removed' "$WORK/serve.log" | tail -5 || true
  grep -q 'RESTART-OK' "$WORK/guest.out" && return 0
  guest_never_ran "$WORK/guest.out" && return 3
  return 1
}

rc=0
attempt || rc=$?
if [ "$rc" = 3 ]; then
  guest_rerun_note
  kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  rm -rf "$WORK/data" "$WORK/serve.out" "$WORK/serve.log"
  rc=0
  attempt || rc=$?
fi
exit "$rc"
