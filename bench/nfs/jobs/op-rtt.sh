# Guest job for bench/nfs/kernel.sh (JOB=$PWD/bench/nfs/jobs/op-rtt.sh): the small-file steps of jobs/bench.sh
# (tar -x of 2,000 files, find + stat, diff -r, git init/add/commit, rm -rf), each followed by the client's own
# per-operation counters for the mount (/proc/self/mountstats): "OPS <step> <op> <calls> <mean RTT ms> <mean execute
# ms>". Comparing the two servers' lines shows whether a step differs by the operations the client sends or by their
# round trips.
set -eu
now() { echo "$EPOCHREALTIME"; }
cat > /tmp/opstats.py <<'PY'
import json, sys
mnt, out = sys.argv[1], {}
current = False
for line in open('/proc/self/mountstats'):
    if line.startswith('device '):
        current = f' mounted on {mnt} ' in line
        continue
    name, _, rest = line.strip().partition(':')
    fields = rest.split()
    if current and name.isupper() and len(fields) >= 8 and all(f.isdigit() for f in fields[:8]):
        out[name] = [int(fields[0]), int(fields[6]), int(fields[7])]  # calls, total RTT ms, total execute ms
if len(sys.argv) > 3:
    before = json.load(open(sys.argv[2]))
    for op, (n, rtt, exe) in sorted(out.items(), key=lambda kv: -kv[1][0]):
        calls = n - before.get(op, [0, 0, 0])[0]
        if calls > 0:
            b = before.get(op, [0, 0, 0])
            print(f'OPS {sys.argv[3]} {op} {calls} {(rtt - b[1]) / calls:.3f} {(exe - b[2]) / calls:.3f}')
else:
    json.dump(out, open(sys.argv[2], 'w'))
PY
step() {  # step NAME CMD...
  local name=$1; shift; local s
  python3 /tmp/opstats.py "$NFS_MNT" /tmp/opstats.before; s=$(now)
  "$@"
  awk -v a="$s" -v b="$(now)" -v n="$name" 'BEGIN{printf "TIME %-28s %8.2f s\n", n, b-a}'
  python3 /tmp/opstats.py "$NFS_MNT" /tmp/opstats.before "$name"
}
DIR=$NFS_MNT/op-rtt.$$
mkdir -p "$DIR"; cd "$DIR"
python3 - <<'PY'
import os, random
random.seed(42)
for d in range(50):
    p = f"/tmp/src/tree/d{d:02}"
    os.makedirs(p, exist_ok=True)
    for f in range(40):
        with open(f"{p}/f{f:03}.txt", "wb") as fh:
            fh.write(os.urandom(random.randint(100, 8192)))
PY
tar -C /tmp/src -cf /tmp/small.tar tree
step tar-x-2000-files tar -xf /tmp/small.tar
step find-stat-2000 sh -c 'find tree -type f | xargs stat -c %s >/dev/null'
step diff-r diff -r /tmp/src/tree tree
cd tree
step git-init git init -q
step git-add-A git add -A
step git-commit git commit -q -m "2000 files"
cd ..
step rm-rf-all sh -c "cd '$NFS_MNT' && rm -rf '$DIR'"
echo "op-rtt done"
