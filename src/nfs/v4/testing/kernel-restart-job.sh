# Guest job (run by kernel-restart.sh): holds a file open with a byte-range lock while the host restarts the
# Fathom server, then keeps using the same descriptor. Passing needs the kernel client to reclaim its open
# and lock during the grace period. Prints RESTART-OK when the data and the lock survived.
set -e
echo before > held
python3 - <<'PY'
import fcntl, os, subprocess, sys, time
fd = os.open('held', os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX, 0, 0)
open('ready', 'w').close()
# The host restarts the server once it sees 'ready', then creates 'restarted' (over NFSv3).
for _ in range(600):
    if os.path.exists('restarted'):
        break
    time.sleep(0.5)
else:
    sys.exit('host never restarted the server')
os.lseek(fd, 0, os.SEEK_END)
os.write(fd, b'after\n')
os.fsync(fd)
child = subprocess.run([sys.executable, '-c', '''
import fcntl, os
fd = os.open("held", os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0); print("LOCK-LOST")
except OSError:
    print("lock still held")
'''], capture_output=True, text=True).stdout.strip()
print(child)
fcntl.lockf(fd, fcntl.LOCK_UN, 0, 0)
os.close(fd)
content = open('held').read()
print(repr(content))
if content == 'before\nafter\n' and child == 'lock still held':
    print('RESTART-OK')
PY
