# Guest job for bench/nfs/kernel.sh (JOB=$PWD/bench/nfs/jobs/fio.sh): only the fio step of jobs/bench.sh (4 KiB
# random reads and writes, psync, O_DIRECT, 20 s on a 64 MiB file), the same command. A round of both servers takes
# ~1 minute instead of ~15, so fio's ratio, the bench's lowest, can be measured over several rounds.
set -eu
now() { echo "$EPOCHREALTIME"; }
step() {  # step NAME CMD...
  local name=$1; shift; local s; s=$(now)
  "$@"
  awk -v a="$s" -v b="$(now)" -v n="$name" 'BEGIN{printf "TIME %-28s %8.2f s\n", n, b-a}'
}
DIR=$NFS_MNT/fio.$$
mkdir -p "$DIR"; cd "$DIR"
if [ "${SKIP_FIO:-0}" != 1 ]; then
  step fio-randrw-20s fio --name=randrw --filename=fio.dat --size=64M --rw=randrw --rwmixread=50 \
      --bs=4k --ioengine=psync --direct=1 --time_based --runtime=20 --group_reporting \
      --eta=never --output=/tmp/fio.out
  grep -E '^\s+(read|write):|lat \(usec\): min|clat \(usec\)' /tmp/fio.out | head -6
fi
cd "$NFS_MNT" && rm -rf "$DIR"
echo "bench done"
