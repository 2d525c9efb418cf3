# Guest job for the Linux kernel client (run by .ci/kernel-smoke.sh): POSIX behaviour a user notices over
# NFSv4.2 - hard links, symlinks, rename, chmod/chown, truncate, utimes, fifo, byte-range locks across
# processes, SEEK_DATA/SEEK_HOLE and hole punching. Prints FUNC-OK and exits 0 when all hold.
set -e
mkdir -p fx && cd fx
echo data > a; ln a b; ln -s a c; [ "$(readlink c)" = a ]; [ "$(stat -c %h a)" = 2 ]
mv b d; [ ! -e b ]; [ "$(cat d)" = data ]
chmod 600 a; [ "$(stat -c %a a)" = 600 ]
chown 1234:5678 a; [ "$(stat -c %u:%g a)" = 1234:5678 ]
truncate -s 100000 a; [ "$(stat -c %s a)" = 100000 ]
touch -d '2001-02-03 04:05:06' a; [ "$(stat -c %Y a)" = "$(date -d '2001-02-03 04:05:06' +%s)" ]
mkdir -p x/y/z; rmdir x/y/z; rm -r x
mkfifo p; [ -p p ]; rm p
python3 - <<'PY'
import fcntl, os, subprocess, sys
fd = os.open('lockme', os.O_RDWR | os.O_CREAT)
fcntl.lockf(fd, fcntl.LOCK_EX, 10, 0)
r = subprocess.run([sys.executable, '-c', '''
import fcntl, os
fd = os.open("lockme", os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0); print("child got lock (unexpected)")
except OSError: print("child blocked: ok")
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 20); print("child other range: ok")
'''], capture_output=True, text=True)
print(r.stdout.strip())
fcntl.lockf(fd, fcntl.LOCK_UN, 10, 0)
print("parent unlocked")
PY
dd if=/dev/urandom of=sparse bs=4k count=1 seek=100 status=none
python3 -c "
import os; fd=os.open('sparse', os.O_RDONLY)
print('SEEK_DATA', os.lseek(fd, 0, os.SEEK_DATA)); print('SEEK_HOLE', os.lseek(fd, 0, os.SEEK_HOLE))"
fallocate -p -o 409600 -l 4096 sparse && echo "punch ok"; [ "$(od -An -tx1 -N4 -j409600 sparse | tr -d ' ')" = 00000000 ]
ls -la; cd ..; rm -rf fx; echo FUNC-OK
