// The compounds a Linux NFSv4.1 client sends for small files (tar -x, git add, diff -r, rm -rf:
// bench/nfs/jobs/op-rtt.sh), sent one at a time over loopback by the project's own client, phase by phase. For each
// phase it prints the round trip and, given the server's pid, the server's CPU per compound (user + system, every
// thread, from /proc).
// The kernel client bench measures these under a QEMU guest that shares the machine's CPUs, where one round says
// little (docs/testing.md); this measures the server's cost per operation without the guest, for any server.
// A pass of WARM_FILES goes first, not reported: a server just started compiles its hot paths meanwhile (after 500
// files V8 was still compiling ~100 of Fathom's functions during the measured phases).
//   node --import tsx bench/nfs/op-cpu.ts PORT EXPORT_NAME
//   env: FILES=2000 WARM_FILES=4000, SERVER_PID or SERVER_PID_FILE (as measure.sh)
import { readFileSync } from 'node:fs';
import { A } from '../../src/nfs/v4/attrs.ts';
import { Op, Status } from '../../src/nfs/v4/constants.ts';
import type { Stateid } from '../../src/nfs/v4/state/stateid.ts';
import { V41Session, V4TestClient, ops, writeBits, type OpSpec } from '../../src/nfs/v4/testing/v4-client.ts';

const [port, exportName] = process.argv.slice(2);
if (!port || !exportName) throw new Error('usage: op-cpu.ts PORT EXPORT_NAME');
const FILES = Number(process.env.FILES ?? 2000);
const WARM_FILES = Number(process.env.WARM_FILES ?? 4000);
const pidText = process.env.SERVER_PID ?? (process.env.SERVER_PID_FILE && readFileSync(process.env.SERVER_PID_FILE, 'utf8'));
const serverPid = pidText ? Number(pidText) : undefined;

/** What the kernel asks for after most operations (its post-op attribute bitmap). */
const ATTRS = [A.TYPE, A.CHANGE, A.SIZE, A.FSID, A.FILEID, A.MODE, A.NUMLINKS, A.OWNER, A.OWNER_GROUP, A.RAWDEV,
  A.SPACE_USED, A.TIME_ACCESS, A.TIME_METADATA, A.TIME_MODIFY, A.MOUNTED_ON_FILEID];
const ALL_ACCESS = 0x3f;
const DATA = Buffer.alloc(4096, 0x5a);

const access: OpSpec = { op: Op.ACCESS, args: (w) => w.u32(ALL_ACCESS), res: (r) => [r.u32(), r.u32()] };
const setMode = (sid: Stateid, mode: number): OpSpec => ({
  op: Op.SETATTR,
  args: (w) => {
    w.u32(sid.seqid);
    w.fixedOpaque(sid.other);
    writeBits(w, [A.MODE]);
    w.u32(4);
    w.u32(mode);
  },
  res: (r) => Array.from({ length: r.u32() }, () => r.u32()),
});
const link = (name: string): OpSpec => ({ op: Op.LINK, args: (w) => w.string(name), res: (r) => { r.bool(); r.u64(); r.u64(); } });

/** Server CPU ticks so far (user + system, all threads), or undefined without a pid. */
function serverTicks(): number | undefined {
  if (serverPid === undefined) return undefined;
  const fields = readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

const client = await V4TestClient.connect(Number(port));
const session = await V41Session.create(client, `op-cpu-${process.pid}`);

async function call(list: OpSpec[]): Promise<unknown[]> {
  const res = await session.call(list);
  if (res.status !== Status.OK) throw new Error(`compound [${list.map((o) => o.op)}] failed with ${res.status}`);
  return res.results.map((r) => r.value);
}

// As a Linux client does after CREATE_SESSION; ganesha answers OPEN with GRACE until then.
await call([ops.reclaimComplete()]);
const root = await call([ops.putrootfh(), ops.lookup(exportName), ops.getfh()]);
const exportFh = root[2] as Buffer;

interface File { fh: Buffer; sid: Stateid }

/** Every phase over `count` files in a directory of its own; the phases' figures are printed when `report`. */
async function pass(count: number, report: boolean): Promise<void> {
  const dirName = `op-cpu.${process.pid}.${report ? 'measured' : 'warm-up'}`;
  await call([ops.putfh(exportFh), ops.create_dir(dirName)]);
  const dirFh = (await call([ops.putfh(exportFh), ops.lookup(dirName), ops.getfh()]))[2] as Buffer;
  const files: File[] = [];
  const names = Array.from({ length: count }, (_, i) => `f${String(i).padStart(5, '0')}`);

  /** Runs one compound per file; prints µs per round trip and the server's CPU µs per compound. */
  async function phase(name: string, compound: (i: number) => Promise<unknown>): Promise<void> {
    const t0 = performance.now();
    const c0 = serverTicks();
    for (let i = 0; i < count; i++) await compound(i);
    const c1 = serverTicks();
    const rtt = ((performance.now() - t0) * 1000) / count;
    const cpu = c0 === undefined || c1 === undefined ? NaN : ((c1 - c0) * TICK_US) / count;
    if (report) console.log(`OPCPU ${name} rtt_us=${rtt.toFixed(1)} server_cpu_us=${cpu.toFixed(1)}`);
  }

  await phase('open-create', async (i) => {
    const r = await call([ops.putfh(dirFh), ops.open({ access: 2, owner: 'tar', name: names[i], create: true }),
      ops.getfh(), access, ops.getattr(ATTRS)]);
    const opened = r[1] as { stateid: Stateid; deleg: number };
    if (opened.deleg !== 0) throw new Error('the server granted a delegation; this client cannot parse one');
    files.push({ fh: r[2] as Buffer, sid: opened.stateid });
  });
  await phase('write-4k-file-sync', (i) => call([ops.putfh(files[i].fh), ops.write(files[i].sid, 0, DATA, 2), ops.getattr(ATTRS)]));
  await phase('setattr-mode', (i) => call([ops.putfh(files[i].fh), setMode(files[i].sid, 0o640), ops.getattr(ATTRS)]));
  await phase('getattr-close', (i) => call([ops.putfh(files[i].fh), ops.getattr(ATTRS), ops.close(files[i].sid)]));
  await phase('lookup', (i) => call([ops.putfh(dirFh), ops.lookup(names[i]), ops.getfh(), ops.getattr(ATTRS)]));
  await phase('access-getattr', (i) => call([ops.putfh(files[i].fh), access, ops.getattr(ATTRS)]));
  await phase('getattr', (i) => call([ops.putfh(files[i].fh), ops.getattr(ATTRS)]));
  // Reading the files back, as diff -r and git fsck do: OPEN without create, one READ, CLOSE.
  await phase('open-read', async (i) => {
    const r = await call([ops.putfh(dirFh), ops.open({ access: 1, owner: 'diff', name: names[i] }), ops.getfh(), access,
      ops.getattr(ATTRS)]);
    files[i].sid = (r[1] as { stateid: Stateid }).stateid;
  });
  await phase('read-4k', (i) => call([ops.putfh(files[i].fh), ops.read(files[i].sid, 0, 4096)]));
  await phase('close', (i) => call([ops.putfh(files[i].fh), ops.close(files[i].sid)]));
  await phase('link', (i) => call([ops.putfh(files[i].fh), ops.savefh(), ops.putfh(dirFh), link(`${names[i]}.l`),
    ops.restorefh(), ops.getattr(ATTRS)]));
  await phase('remove', (i) => call([ops.putfh(dirFh), ops.remove(names[i])]));
  await phase('remove-last-link', (i) => call([ops.putfh(dirFh), ops.remove(`${names[i]}.l`)]));
  await call([ops.putfh(exportFh), ops.remove(dirName)]);
}

if (WARM_FILES > 0) await pass(WARM_FILES, false);
await pass(FILES, true);
client.close();
