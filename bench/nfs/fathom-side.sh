#!/bin/bash
# Inside the namespace: start Fathom on 127.0.0.1:2049 exporting /export, run a client against it (default
# measure.sh; or the command given) with SERVER_PID set, report the server's peak RSS, stop it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
LOG=$(mktemp)
bin/tuned-node --import tsx src/nfs/v4/dev-serve.ts --port 2049 --export /export > "$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do grep -q '^listening' "$LOG" && break; sleep 0.1; done
grep -q '^listening' "$LOG" || { cat "$LOG"; exit 1; }
# tsx runs the server in a child node process: measure the process that listens.
SERVER=$(pgrep -P "$PID" node || echo "$PID")
if [ $# -eq 0 ]; then set -- bench/nfs/measure.sh fathom 'nfs://127.0.0.1/export'; fi
SERVER_PID=$SERVER "$@"
echo "FIGURE fathom peak_rss_mib=$(( $(awk '/VmHWM/ {print $2}' /proc/"$SERVER"/status) / 1024 ))"
