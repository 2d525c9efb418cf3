// NFSv3 + MOUNT end to end over a real engine volume: Debian's libnfs tools, and our own client for the
// procedures those tools don't reach.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openVolume, ROOT_CALLER, ROOT_INODE, type Volume } from '../../engine/index.ts';
import { readSlotStats } from '../../engine/blocks/hash-pool.ts';
import { DEFAULT_RULES, StaticExportTable, type Export, type ExportRules } from '../exports.ts';
import { startNfsServer, type NfsServer } from '../server.ts';
import { Nfs3Status, Proc3, StableHow, CreateMode3, Ftype3, Access3 } from './constants.ts';
import { MountStatus } from '../mount/constants.ts';
import { V3TestClient, readPostOp, skipWcc, writeSattr } from './test-client.ts';
import { XdrWriter } from '../xdr/writer.ts';
import { RpcClient, encodeCallRecord, type RpcReply } from '../rpc/client.ts';
import { NFS_PROGRAM, NFS_V3 } from './constants.ts';

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-v3-'));
const volumes: Volume[] = [];
let server: NfsServer;
let client: V3TestClient;

async function exportOf(id: number, name: string, rules: Partial<ExportRules>): Promise<Export> {
  const volume = await openVolume({ dir: path.join(tmp, name), id: `fs-0000000000000000${id}`, create: true });
  volumes.push(volume);
  await volume.setattr(ROOT_CALLER, ROOT_INODE, { mode: 0o777 });
  return { id, path: `/${name}`, volume, root: ROOT_INODE, fsid: BigInt(id), rules: { ...DEFAULT_RULES, ...rules } };
}

before(async () => {
  const exports = new StaticExportTable([
    await exportOf(1, 'rw', {}),
    await exportOf(2, 'ro', { readOnly: true }),
    await exportOf(3, 'squash', { rootSquash: true }),
    await exportOf(4, 'refused', { mountRefused: true }),
    await exportOf(5, 'elsewhere', { allowedClients: [{ address: '10.0.0.0', prefix: 8 }] }),
  ]);
  server = await startNfsServer({ port: 0, exports });
  client = await V3TestClient.connect(server.port);
});

after(async () => {
  client.close();
  await server.close();
  for (const v of volumes) await v.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const url = (p: string): string => `nfs://127.0.0.1${p}?nfsport=${server.port}&mountport=${server.port}&version=3`;
const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('nfs-cp copies a 64 MiB file in and out unchanged; nfs-ls lists it', async () => {
  const src = path.join(tmp, 'src.bin');
  const back = path.join(tmp, 'back.bin');
  fs.writeFileSync(src, crypto.randomBytes(64 * 1024 * 1024));
  await run('nfs-cp', [src, url('/rw/big.bin')]);
  await run('nfs-cp', [url('/rw/big.bin'), back]);
  assert.equal(sha256(back), sha256(src));
  const { stdout } = await run('nfs-ls', [url('/rw')]);
  assert.match(stdout, /67108864\s+big\.bin/);
  fs.rmSync(src);
  fs.rmSync(back);
});

test('a read-only export refuses writes but serves reads', async () => {
  const src = path.join(tmp, 'small.txt');
  fs.writeFileSync(src, 'hello');
  await assert.rejects(run('nfs-cp', [src, url('/ro/x.txt')]));
  const { stdout } = await run('nfs-ls', [url('/ro')]);
  assert.doesNotMatch(stdout, /x\.txt/);
});

test('root squash: files root creates belong to the anonymous user', async () => {
  const src = path.join(tmp, 'small.txt');
  fs.writeFileSync(src, 'hello');
  await run('nfs-cp', [src, url('/squash/by-root.txt')]);
  const { stdout } = await run('nfs-ls', [url('/squash')]);
  assert.match(stdout, /65534\s+65534\s+5\s+by-root\.txt/);
});

test('MOUNT refuses refused exports and clients outside the allow-list; unknown paths are NOENT', async () => {
  assert.equal((await client.mount('/refused')).status, MountStatus.ACCES);
  assert.equal((await client.mount('/elsewhere')).status, MountStatus.ACCES);
  assert.equal((await client.mount('/nope')).status, MountStatus.NOENT);
  await assert.rejects(run('nfs-ls', [url('/refused')]));
});

const fhArg = (fh: Buffer) => (w: XdrWriter) => w.opaque(fh);
const dirop = (fh: Buffer, name: string) => (w: XdrWriter) => {
  w.opaque(fh);
  w.string(name);
};

async function lookupFh(dir: Buffer, name: string): Promise<{ status: number; fh?: Buffer }> {
  const r = await client.call(Proc3.LOOKUP, dirop(dir, name));
  return r.status === Nfs3Status.OK ? { status: r.status, fh: Buffer.from(r.body.opaque(64)) } : { status: r.status };
}

async function createFile(dir: Buffer, name: string, how: number, verf?: Buffer): Promise<{ status: number; fh?: Buffer }> {
  const r = await client.call(Proc3.CREATE, (w) => {
    dirop(dir, name)(w);
    w.u32(how);
    if (how === CreateMode3.EXCLUSIVE) w.fixedOpaque(verf ?? Buffer.alloc(8));
    else writeSattr(w, { mode: 0o640 });
  });
  if (r.status !== Nfs3Status.OK) return { status: r.status };
  assert.equal(r.body.bool(), true);
  return { status: r.status, fh: Buffer.from(r.body.opaque(64)) };
}

test('own client: create modes, write/commit verifiers, read, setattr guard', async () => {
  const root = (await client.mount('/rw')).fh as Buffer;
  const a = await createFile(root, 'a.txt', CreateMode3.GUARDED);
  assert.equal(a.status, Nfs3Status.OK);
  assert.equal((await createFile(root, 'a.txt', CreateMode3.GUARDED)).status, Nfs3Status.EXIST);
  assert.equal((await createFile(root, 'a.txt', CreateMode3.UNCHECKED)).status, Nfs3Status.OK);
  const verf = Buffer.from('12345678');
  const ex1 = await createFile(root, 'ex.txt', CreateMode3.EXCLUSIVE, verf);
  const ex2 = await createFile(root, 'ex.txt', CreateMode3.EXCLUSIVE, verf);
  assert.deepEqual(ex2.fh, ex1.fh);
  assert.equal((await createFile(root, 'ex.txt', CreateMode3.EXCLUSIVE, Buffer.from('87654321'))).status, Nfs3Status.EXIST);

  const fh = a.fh as Buffer;
  const w = await client.call(Proc3.WRITE, (x) => {
    x.opaque(fh); x.u64(0); x.u32(11); x.u32(StableHow.UNSTABLE); x.opaque(Buffer.from('hello world'));
  });
  assert.equal(w.status, Nfs3Status.OK);
  skipWcc(w.body);
  assert.equal(w.body.u32(), 11);
  w.body.u32();
  const writeVerf = Buffer.from(w.body.fixedOpaque(8));
  const c = await client.call(Proc3.COMMIT, (x) => { x.opaque(fh); x.u64(0); x.u32(0); });
  assert.equal(c.status, Nfs3Status.OK);
  skipWcc(c.body);
  assert.deepEqual(Buffer.from(c.body.fixedOpaque(8)), writeVerf);

  const rd = await client.call(Proc3.READ, (x) => { x.opaque(fh); x.u64(6); x.u32(100); });
  assert.equal(rd.status, Nfs3Status.OK);
  readPostOp(rd.body);
  assert.equal(rd.body.u32(), 5);
  assert.equal(rd.body.bool(), true);
  assert.equal(rd.body.opaque().toString(), 'world');

  const ga = await client.call(Proc3.GETATTR, fhArg(fh));
  assert.equal(ga.body.u32(), Ftype3.REG);
  assert.equal(ga.body.u32(), 0o640);
  const stale = await client.call(Proc3.SETATTR, (x) => {
    x.opaque(fh); writeSattr(x, { mode: 0o600 }); x.bool(true); x.u32(1); x.u32(2);
  });
  assert.equal(stale.status, Nfs3Status.NOT_SYNC);
  const trunc = await client.call(Proc3.SETATTR, (x) => { x.opaque(fh); writeSattr(x, { size: 3 }); x.bool(false); });
  assert.equal(trunc.status, Nfs3Status.OK);
  assert.equal(trunc.body.bool(), true);
  assert.equal(trunc.body.u64n(), 11); // pre-op size
  trunc.body.u64();
  trunc.body.u64();
  assert.equal(readPostOp(trunc.body)?.size, 3);
});

test('own client: directories, links, symlinks, fifos, rename, remove, readdir paging', async () => {
  const root = (await client.mount('/rw')).fh as Buffer;
  const mk = await client.call(Proc3.MKDIR, (w) => { dirop(root, 'd')(w); writeSattr(w, { mode: 0o755 }); });
  assert.equal(mk.status, Nfs3Status.OK);
  mk.body.bool();
  const d = Buffer.from(mk.body.opaque(64));
  for (let i = 0; i < 30; i++) assert.equal((await createFile(d, `f${String(i).padStart(2, '0')}`, CreateMode3.GUARDED)).status, Nfs3Status.OK);
  const sl = await client.call(Proc3.SYMLINK, (w) => { dirop(d, 'sl')(w); writeSattr(w); w.string('f00'); });
  assert.equal(sl.status, Nfs3Status.OK);
  sl.body.bool();
  const rl = await client.call(Proc3.READLINK, fhArg(Buffer.from(sl.body.opaque(64))));
  readPostOp(rl.body);
  assert.equal(rl.body.string(), 'f00');
  const fifo = await client.call(Proc3.MKNOD, (w) => { dirop(d, 'fifo')(w); w.u32(Ftype3.FIFO); writeSattr(w, { mode: 0o644 }); });
  assert.equal(fifo.status, Nfs3Status.OK);
  const badType = await client.call(Proc3.MKNOD, (w) => { dirop(d, 'reg')(w); w.u32(Ftype3.REG); });
  assert.equal(badType.status, Nfs3Status.BADTYPE);
  const f00 = (await lookupFh(d, 'f00')).fh as Buffer;
  const ln = await client.call(Proc3.LINK, (w) => { w.opaque(f00); dirop(d, 'hard')(w); });
  assert.equal(ln.status, Nfs3Status.OK);
  assert.equal(readPostOp(ln.body)?.nlink, 2);
  const rn = await client.call(Proc3.RENAME, (w) => { dirop(d, 'f01')(w); dirop(root, 'moved')(w); });
  assert.equal(rn.status, Nfs3Status.OK);
  assert.equal((await lookupFh(d, 'f01')).status, Nfs3Status.NOENT);
  assert.equal((await lookupFh(root, 'moved')).status, Nfs3Status.OK);
  const dotdot = await lookupFh(d, '..');
  assert.deepEqual(dotdot.fh, root);
  assert.deepEqual((await lookupFh(root, '..')).fh, root);

  // READDIR in small pages: every name exactly once, plus '.' and '..'.
  const names: string[] = [];
  let cookie = 0n;
  for (let pages = 0; pages < 100; pages++) {
    const r = await client.call(Proc3.READDIR, (w) => { w.opaque(d); w.u64(cookie); w.fixedOpaque(Buffer.alloc(8)); w.u32(400); });
    assert.equal(r.status, Nfs3Status.OK);
    readPostOp(r.body);
    r.body.fixedOpaque(8);
    while (r.body.bool()) {
      r.body.u64();
      names.push(r.body.string());
      cookie = r.body.u64();
    }
    if (r.body.bool()) break;
  }
  const expected = ['.', '..', 'fifo', 'hard', 'sl', ...Array.from({ length: 30 }, (_, i) => `f${String(i).padStart(2, '0')}`).filter((n) => n !== 'f01')];
  assert.deepEqual([...names].sort(), expected.sort());

  const plus = await client.call(Proc3.READDIRPLUS, (w) => { w.opaque(d); w.u64(0); w.fixedOpaque(Buffer.alloc(8)); w.u32(8192); w.u32(65536); });
  assert.equal(plus.status, Nfs3Status.OK);
  readPostOp(plus.body);
  plus.body.fixedOpaque(8);
  let withHandles = 0;
  while (plus.body.bool()) {
    plus.body.u64(); plus.body.string(); plus.body.u64();
    assert.ok(readPostOp(plus.body));
    if (plus.body.bool()) { plus.body.opaque(64); withHandles++; }
  }
  assert.equal(withHandles, names.length);

  assert.equal((await client.call(Proc3.RMDIR, dirop(root, 'd'))).status, Nfs3Status.NOTEMPTY);
  assert.equal((await client.call(Proc3.REMOVE, dirop(d, 'f00'))).status, Nfs3Status.OK);
  assert.equal((await client.call(Proc3.REMOVE, dirop(d, 'f00'))).status, Nfs3Status.NOENT);
});

test('own client: FSINFO/FSSTAT/PATHCONF, ACCESS, read-only and bad handles', async () => {
  const root = (await client.mount('/rw')).fh as Buffer;
  const fi = await client.call(Proc3.FSINFO, fhArg(root));
  assert.equal(fi.status, Nfs3Status.OK);
  readPostOp(fi.body);
  assert.equal(fi.body.u32(), 1024 * 1024);
  const fsstat = await client.call(Proc3.FSSTAT, fhArg(root));
  assert.equal(fsstat.status, Nfs3Status.OK);
  const pc = await client.call(Proc3.PATHCONF, fhArg(root));
  readPostOp(pc.body);
  pc.body.u32();
  assert.equal(pc.body.u32(), 255);

  const ro = (await client.mount('/ro')).fh as Buffer;
  const acc = await client.call(Proc3.ACCESS, (w) => { w.opaque(ro); w.u32(0x3f); });
  readPostOp(acc.body);
  const bits = acc.body.u32();
  assert.equal(bits & Access3.MODIFY, 0);
  assert.ok(bits & Access3.READ);
  assert.equal((await createFile(ro, 'x', CreateMode3.GUARDED)).status, Nfs3Status.ROFS);

  assert.equal((await client.call(Proc3.GETATTR, fhArg(Buffer.from('garbage')))).status, Nfs3Status.BADHANDLE);
  // Handles are authenticated: edited bytes (another export, another generation) are not a handle of ours.
  const otherExport = Buffer.from(root);
  otherExport.writeUInt32BE(999, 4);
  assert.equal((await client.call(Proc3.GETATTR, fhArg(otherExport))).status, Nfs3Status.BADHANDLE);
  const wrongGen = Buffer.from(root);
  wrongGen.writeUInt32BE((wrongGen.readUInt32BE(16) + 1) >>> 0, 16);
  assert.equal((await client.call(Proc3.GETATTR, fhArg(wrongGen))).status, Nfs3Status.BADHANDLE);
  // A real handle of a removed file is STALE.
  const doomed = (await createFile(root, 'doomed.txt', CreateMode3.GUARDED)).fh as Buffer;
  assert.equal((await client.call(Proc3.REMOVE, dirop(root, 'doomed.txt'))).status, Nfs3Status.OK);
  assert.equal((await client.call(Proc3.GETATTR, fhArg(doomed))).status, Nfs3Status.STALE);

  // AUTH_NONE callers are the anonymous user: they cannot create in a root-owned 0755 directory.
  const mk = await client.call(Proc3.MKDIR, (w) => { dirop(root, 'private')(w); writeSattr(w, { mode: 0o755 }); });
  mk.body.bool();
  const priv = Buffer.from(mk.body.opaque(64));
  client.opts = { auth: null };
  try {
    assert.equal((await createFile(priv, 'anon.txt', CreateMode3.GUARDED)).status, Nfs3Status.ACCES);
  } finally {
    client.opts = {};
  }
});

test('large READs, eight at a time, return the right bytes and give their block memory back once sent', async () => {
  const src = path.join(tmp, 'slots.bin');
  const data = crypto.randomBytes(48 * 1024 * 1024);
  fs.writeFileSync(src, data);
  await run('nfs-cp', [src, url('/rw/slots.bin')]);
  fs.rmSync(src);
  const root = (await client.mount('/rw')).fh as Buffer;
  const fh = (await lookupFh(root, 'slots.bin')).fh as Buffer;
  const MiB = 1024 * 1024;
  const before = readSlotStats();
  // Three passes of 48 MiB, more than the cache and the read slots hold together.
  for (let pass = 0; pass < 3; pass++) {
    for (let at = 0; at < data.length; at += 8 * MiB) {
      await Promise.all(Array.from({ length: 8 }, async (_, i) => {
        const offset = at + i * MiB;
        const rd = await client.call(Proc3.READ, (x) => { x.opaque(fh); x.u64(offset); x.u32(MiB); });
        assert.equal(rd.status, Nfs3Status.OK);
        readPostOp(rd.body);
        assert.equal(rd.body.u32(), MiB);
        rd.body.bool();
        assert.ok(rd.body.opaque().equals(data.subarray(offset, offset + MiB)), `bytes at ${offset} in pass ${pass}`);
      }));
      // Each reply held a lease on its block's read slot until the socket had sent it. What is leased once the
      // replies are in is the verified cache's own (at most 64 MiB of 4 MiB blocks), not a lease per reply left for
      // the garbage collector to find.
      await new Promise((res) => setTimeout(res, 5));
      const { leased } = readSlotStats();
      assert.ok(leased <= 16, `sent replies gave their leases back (${leased} held after pass ${pass} at ${at})`);
    }
  }
  assert.equal(readSlotStats().freshReads, before.freshReads, 'every block read found a read slot free');
});

test('duplicate request cache: a retransmitted CREATE or REMOVE gets the original reply, also on a new connection', async () => {
  const root = (await client.mount('/rw')).fh as Buffer;
  const createArgs = new XdrWriter();
  dirop(root, 'retried.txt')(createArgs);
  createArgs.u32(CreateMode3.GUARDED);
  writeSattr(createArgs, { mode: 0o600 });
  const call = (xid: number, proc: number, args: Buffer) => encodeCallRecord(xid, NFS_PROGRAM, NFS_V3, proc, args);
  const statusOf = (r: RpcReply) => {
    assert.equal(r.kind, 'accepted', 'the call is accepted');
    return (r as { body: { u32(): number } }).body.u32();
  };
  const createBytes = Buffer.from(createArgs.finish());
  const first = await client.rpc.send(900001, call(900001, Proc3.CREATE, createBytes));
  assert.equal(statusOf(first), Nfs3Status.OK);
  // The client reconnects and retransmits: same xid, same arguments.
  const other = await RpcClient.connect(server.port);
  try {
    const again = await other.send(900001, call(900001, Proc3.CREATE, createBytes));
    assert.equal(statusOf(again), Nfs3Status.OK, 'a retransmitted GUARDED create is answered like the original');
    // A new call (another xid) with the same arguments runs: the name exists now.
    const fresh = await other.send(900002, call(900002, Proc3.CREATE, createBytes));
    assert.equal(statusOf(fresh), Nfs3Status.EXIST);
    const removeArgs = new XdrWriter();
    dirop(root, 'retried.txt')(removeArgs);
    const removeBytes = Buffer.from(removeArgs.finish());
    assert.equal(statusOf(await other.send(900003, call(900003, Proc3.REMOVE, removeBytes))), Nfs3Status.OK);
    assert.equal(statusOf(await client.rpc.send(900003, call(900003, Proc3.REMOVE, removeBytes))), Nfs3Status.OK,
      'a retransmitted REMOVE is answered like the original');
    assert.equal((await lookupFh(root, 'retried.txt')).status, Nfs3Status.NOENT);
  } finally {
    other.close();
  }
});
