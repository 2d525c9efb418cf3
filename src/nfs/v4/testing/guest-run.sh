# guest-run.sh - sourced by the kernel client jobs (.ci/kernel-smoke.sh, kernel-restart.sh).
# A guest whose emulated devices fail never gets to run its job. Seen twice under TCG, each after ~215 s: once every
# modprobe in the guest's init failed and it found no job script (session 10); once its root disk (emulated NVMe)
# returned I/O errors, so that it could not even load /usr/bin/mount (session 11). Such a run says nothing about
# the server, so it is tried once more; any other failure stands.

# guest_never_ran FILE: the run-guest.sh output in FILE shows a guest that did not get to its job, or whose own
# root disk failed under it.
guest_never_ran() {
  grep -q 'no job script' "$1" || ! grep -q 'init started' "$1" || grep -q 'EXT4-fs error (device nvme' "$1"
}

guest_rerun_note() {
  echo "## the guest never got to run its job (its emulated devices failed); running it once more"
}

# guest_job KC OUT run-guest.sh ARGS...: runs the guest (output in OUT, then printed), once more if it never ran
# its job; returns run-guest.sh's exit code.
guest_job() {
  local kc=$1 out=$2 try rc
  shift 2
  for try in 1 2; do
    rc=0
    (cd "$kc" && ./run-guest.sh "$@") >"$out" 2>&1 || rc=$?
    cat "$out"
    guest_never_ran "$out" && [ "$try" = 1 ] || break
    guest_rerun_note
  done
  return "$rc"
}
