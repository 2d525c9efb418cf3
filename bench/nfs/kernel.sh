#!/bin/bash
# bench/nfs/kernel.sh - the kernel client bench job (../shared/kernel-client/jobs/bench.sh: dd, cp, tar -x, find,
# diff -r, git, fio, rm -rf under QEMU) against nfs-ganesha and against Fathom, back to back over NFSv4.2.
# Prints each step's seconds, the speed ratio ganesha_time / Fathom_time (above 1 = Fathom faster), fio IOPS,
# each server's CPU seconds over the guest's run and Fathom's peak RSS. Needs root (ganesha runs in a private namespace). About 10-15 minutes per round.
# Each guest first runs the job once unmeasured (BIG_MB=32, no fio: a server just started, whose JIT compiles its
# hot paths meanwhile), then the measured run: the steady state of a server that has been running. WARM=0: cold.
# ROUNDS=k runs both servers k times, alternating which goes first, and compares the medians: a step's ratio
# moved between 0.75 and 1.54 across single rounds of the same code (docs/nfs.md), so one round shows little.
#   bench/nfs/kernel.sh            env: VERS=4.2 JOB=jobs/bench.sh ROUNDS=1 WARM=1
#                                       SKIP_GANESHA=1 (reuse $OUT/ganesha.*.txt)
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

# Each server's CPU (user + system, every thread) over the guest's whole run, its warm-up pass included: on this
# 2-vCPU machine the steadier yardstick of the two (docs/testing.md). Ganesha's is read once a second while it runs
# (its last second, when the guest has finished, is missed).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
HZ=$(getconf CLK_TCK)
cpu_line() { awk -v t="$1" -v hz="$HZ" 'BEGIN {printf "SERVER_CPU_S %.1f\n", t / hz}'; }

# Writes the CPU ticks of the ganesha whose pid the round's output names to $2, once a second (until killed).
sample_ganesha() {
  local pid="" t
  while sleep 1; do
    if [ -z "$pid" ]; then pid=$(awk '/^## host: ganesha pid/ {sub(",", "", $5); print $5; exit}' "$1" 2>/dev/null || true); fi
    if [ -n "$pid" ] && t=$(ticks "$pid") && [ -n "$t" ]; then echo "$t" > "$2"; fi
  done
}

ganesha_round() {
  echo "## nfs-ganesha (round $1)" >&2
  local out=$OUT/ganesha.$1.txt cpu=$OUT/ganesha.$1.cpu
  rm -f "$cpu"
  sample_ganesha "$out" "$cpu" &
  SAMPLER_JOB=$!
  # In the foreground, so that ^C reaches the guest (a background job of a script ignores SIGINT).
  (cd "$KC" && ./test-ganesha.sh "$JOB" -t 1800 -o "vers=$VERS") > "$out" 2>&1
  kill "$SAMPLER_JOB"; wait "$SAMPLER_JOB" 2>/dev/null || true
  SAMPLER_JOB=
  if [ -s "$cpu" ]; then cpu_line "$(cat "$cpu")" >> "$out"; fi
  rm -f "$cpu"
}

# A fresh Fathom server per round, like ganesha's.
fathom_round() {
  echo "## Fathom (round $1)" >&2
  local work pid port server
  work=$(mktemp -d /tmp/fathom-kbench-srv.XXXXXX)
  (cd "$ROOT" && exec bin/tuned-node --import tsx src/nfs/v4/dev-serve.ts --dir "$work" > "$work/serve.out" 2> "$work/serve.log") &
  pid=$!
  SERVER_JOB=$pid SERVER_WORK=$work
  for _ in $(seq 1 100); do grep -q '^listening' "$work/serve.out" 2>/dev/null && break; sleep 0.2; done
  port=$(awk '/^listening/{print $3}' "$work/serve.out")
  [ -n "$port" ] || { cat "$work/serve.log" >&2; exit 1; }
  server=$(pgrep -P "$pid" node || echo "$pid")   # tsx may run the server in a child process
  local c0; c0=$(ticks "$server")
  (cd "$KC" && ./run-guest.sh -t 1800 -o "vers=$VERS" "$port" /fs-0123456789abcdef0 "$JOB") > "$OUT/fathom.$1.txt" 2>&1
  cpu_line $(( $(ticks "$server") - c0 )) >> "$OUT/fathom.$1.txt"
  echo "PEAK_RSS_MIB $(( $(awk '/VmHWM/ {print $2}' /proc/"$server"/status) / 1024 ))" >> "$OUT/fathom.$1.txt"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  SERVER_JOB= SERVER_WORK=
  rm -rf "$work"
}
SERVER_JOB= SERVER_WORK= SAMPLER_JOB=
trap 'for j in $SERVER_JOB $SAMPLER_JOB; do kill "$j" 2>/dev/null; done; [ -z "$SERVER_WORK" ] || rm -rf "$SERVER_WORK"' EXIT

ROUNDS=${ROUNDS:-1}
for round in $(seq 1 "$ROUNDS"); do
  # Odd rounds ganesha first, even rounds Fathom first: a drift in the machine's speed favours neither.
  # Called as plain commands (not in a || list, where bash would ignore set -e inside them): a failed job stops the bench.
  if [ $((round % 2)) = 1 ]; then
    if [ "${SKIP_GANESHA:-0}" != 1 ]; then ganesha_round "$round"; fi
    fathom_round "$round"
  else
    fathom_round "$round"
    if [ "${SKIP_GANESHA:-0}" != 1 ]; then ganesha_round "$round"; fi
  fi
done

in_order() { for round in $(seq 1 "$ROUNDS"); do [ ! -f "$OUT/$1.$round.txt" ] || echo "$OUT/$1.$round.txt"; done; }
# shellcheck disable=SC2046 # one file per round
node --import tsx "$ROOT/bench/nfs/compare-kernel.ts" --ganesha $(in_order ganesha) --fathom $(in_order fathom)
echo "(raw outputs in $OUT)"
