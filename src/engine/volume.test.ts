// POSIX semantics of the engine, one rule per test: what a user of the file system would notice.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { openVolume, ROOT_CALLER, ROOT_INODE, isFsError, type Caller, type Errno, type Volume } from './index.ts';

const ID = 'fs-0123456789abcdef0';
const alice: Caller = { uid: 1000, gid: 1000, gids: [] };
const bob: Caller = { uid: 1001, gid: 1001, gids: [50] };
let dir: string;
let v: Volume;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fathom-vol-'));
  v = await openVolume({ dir, id: ID, create: true });
});
afterEach(async () => {
  await v.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejects(p: Promise<unknown>, code: Errno): Promise<void> {
  await assert.rejects(p, (e) => isFsError(e, code), `expected ${code}`);
}

/** A world-writable directory everyone can work in. */
async function shared(mode = 0o777) {
  const d = await v.mkdir(ROOT_CALLER, ROOT_INODE, 'shared', mode);
  return d.ino;
}

test('names: too long, slash, NUL, dot and dot-dot are refused', async () => {
  await rejects(v.create(ROOT_CALLER, ROOT_INODE, 'x'.repeat(256), { mode: 0o644 }), 'ENAMETOOLONG');
  await rejects(v.create(ROOT_CALLER, ROOT_INODE, 'a/b', { mode: 0o644 }), 'EINVAL');
  await rejects(v.create(ROOT_CALLER, ROOT_INODE, 'a\0b', { mode: 0o644 }), 'EINVAL');
  await rejects(v.mkdir(ROOT_CALLER, ROOT_INODE, '.', 0o755), 'EINVAL');
  await rejects(v.mkdir(ROOT_CALLER, ROOT_INODE, '..', 0o755), 'EINVAL');
  const ok = await v.create(ROOT_CALLER, ROOT_INODE, 'é'.repeat(127), { mode: 0o644 });
  assert.equal(ok.created, true);
});

test('exclusive create: EEXIST, and a retry with the same verifier returns the file', async () => {
  const verf = Buffer.from('12345678');
  const a = await v.create(ROOT_CALLER, ROOT_INODE, 'f', { mode: 0o644, verifier: verf });
  const again = await v.create(ROOT_CALLER, ROOT_INODE, 'f', { mode: 0o644, verifier: verf });
  assert.equal(again.attr.ino, a.attr.ino);
  assert.equal(again.created, false);
  await rejects(v.create(ROOT_CALLER, ROOT_INODE, 'f', { mode: 0o644, verifier: Buffer.from('87654321') }), 'EEXIST');
  await rejects(v.create(ROOT_CALLER, ROOT_INODE, 'f', { mode: 0o644, exclusive: true }), 'EEXIST');
});

test('permissions: mode bits, groups, root override, search permission', async () => {
  const d = await shared();
  const f = (await v.create(alice, d, 'private', { mode: 0o600 })).attr;
  await v.write(alice, f.ino, 0, Buffer.from('secret'), 'unstable');
  await rejects(v.read(bob, f.ino, 0, 10), 'EACCES');
  assert.equal((await v.read(ROOT_CALLER, f.ino, 0, 10)).data.toString(), 'secret');
  await v.setattr(alice, f.ino, { mode: 0o640, gid: 1000 });
  await rejects(v.read(bob, f.ino, 0, 10), 'EACCES');
  await v.setattr(ROOT_CALLER, f.ino, { gid: 50 });
  assert.equal((await v.read(bob, f.ino, 0, 10)).data.toString(), 'secret', 'bob is in group 50');
  await rejects(v.write(bob, f.ino, 0, Buffer.from('x'), 'unstable'), 'EACCES');
  const closed = await v.mkdir(alice, d, 'closed', 0o700);
  await v.create(alice, closed.ino, 'inside', { mode: 0o644 });
  await rejects(v.lookup(bob, closed.ino, 'inside'), 'EACCES');
  await rejects(v.create(bob, closed.ino, 'new', { mode: 0o644 }), 'EACCES');
  assert.equal(await v.access(bob, f.ino, 7), 4);
});

test('only the owner changes mode and times; only root changes the owner', async () => {
  const d = await shared();
  const f = (await v.create(alice, d, 'f', { mode: 0o644 })).attr;
  await rejects(v.setattr(bob, f.ino, { mode: 0o777 }), 'EPERM');
  await rejects(v.setattr(alice, f.ino, { uid: 1001 }), 'EPERM');
  await rejects(v.setattr(alice, f.ino, { gid: 50 }), 'EPERM');
  await rejects(v.setattr(bob, f.ino, { mtime: { sec: 1, nsec: 0 } }), 'EPERM');
  await rejects(v.setattr(bob, f.ino, { mtime: 'now' }), 'EACCES');
  const t = await v.setattr(alice, f.ino, { mtime: { sec: 1_000_000, nsec: 123_456_789 } });
  assert.deepEqual(t.mtime, { sec: 1_000_000, nsec: 123_456_789 });
  const chowned = await v.setattr(ROOT_CALLER, f.ino, { uid: 1001, gid: 1001 });
  assert.equal(chowned.uid, 1001);
});

test('setuid is cleared on chown; setgid is dropped by a non-member chmod', async () => {
  const d = await shared();
  const f = (await v.create(alice, d, 'f', { mode: 0o755 })).attr;
  await v.setattr(ROOT_CALLER, f.ino, { mode: 0o4755 });
  const after = await v.setattr(ROOT_CALLER, f.ino, { uid: 1001 });
  assert.equal(after.mode & 0o4000, 0);
  const g = (await v.create(alice, d, 'g', { mode: 0o755 })).attr;
  await v.setattr(ROOT_CALLER, g.ino, { gid: 77 });
  const m = await v.setattr(alice, g.ino, { mode: 0o2755 });
  assert.equal(m.mode, 0o755, 'alice is not in group 77');
});

test('sticky directory: only owners of the file or directory may remove', async () => {
  const d = await shared(0o1777);
  await v.create(alice, d, 'alices', { mode: 0o644 });
  await rejects(v.unlink(bob, d, 'alices'), 'EPERM');
  await rejects(v.rename(bob, d, 'alices', d, 'stolen'), 'EPERM');
  await v.unlink(alice, d, 'alices');
});

test('setgid directory: new entries inherit its group, subdirectories the bit', async () => {
  const d = await v.mkdir(ROOT_CALLER, ROOT_INODE, 'proj', 0o777);
  await v.setattr(ROOT_CALLER, d.ino, { gid: 50, mode: 0o2777 });
  const f = (await v.create(alice, d.ino, 'f', { mode: 0o644 })).attr;
  assert.equal(f.gid, 50);
  const sub = await v.mkdir(alice, d.ino, 'sub', 0o755);
  assert.equal(sub.gid, 50);
  assert.equal(sub.mode & 0o2000, 0o2000);
});

test('rename: replaces files atomically, directories onto empty directories only, never into itself', async () => {
  const a = (await v.create(ROOT_CALLER, ROOT_INODE, 'a', { mode: 0o644 })).attr;
  await v.write(ROOT_CALLER, a.ino, 0, Buffer.from('A'), 'file_sync');
  const b = (await v.create(ROOT_CALLER, ROOT_INODE, 'b', { mode: 0o644 })).attr;
  await v.rename(ROOT_CALLER, ROOT_INODE, 'a', ROOT_INODE, 'b');
  assert.equal((await v.lookup(ROOT_CALLER, ROOT_INODE, 'b')).ino, a.ino);
  await rejects(v.getattr(b.ino), 'ESTALE');
  await rejects(v.lookup(ROOT_CALLER, ROOT_INODE, 'a'), 'ENOENT');

  const d1 = await v.mkdir(ROOT_CALLER, ROOT_INODE, 'd1', 0o755);
  const d2 = await v.mkdir(ROOT_CALLER, ROOT_INODE, 'd2', 0o755);
  await v.create(ROOT_CALLER, d2.ino, 'x', { mode: 0o644 });
  await rejects(v.rename(ROOT_CALLER, ROOT_INODE, 'd1', ROOT_INODE, 'd2'), 'ENOTEMPTY');
  await rejects(v.rename(ROOT_CALLER, ROOT_INODE, 'd1', ROOT_INODE, 'b'), 'ENOTDIR');
  await rejects(v.rename(ROOT_CALLER, ROOT_INODE, 'b', ROOT_INODE, 'd1'), 'EISDIR');
  const inner = await v.mkdir(ROOT_CALLER, d1.ino, 'inner', 0o755);
  await rejects(v.rename(ROOT_CALLER, ROOT_INODE, 'd1', inner.ino, 'loop'), 'EINVAL');
  await v.rename(ROOT_CALLER, d1.ino, 'inner', d2.ino, 'moved');
  assert.equal(await v.parentOf(inner.ino), d2.ino);
  assert.equal((await v.getattr(d1.ino)).nlink, 2);
  assert.equal((await v.getattr(d2.ino)).nlink, 3);
  const empty = await v.mkdir(ROOT_CALLER, ROOT_INODE, 'empty', 0o755);
  await v.rename(ROOT_CALLER, ROOT_INODE, 'd1', ROOT_INODE, 'empty');
  await rejects(v.getattr(empty.ino), 'ESTALE');
  assert.deepEqual((await v.fsck()).problems, []);
});

test('hard links share data; the inode lives until the last link and the last open go', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'f', { mode: 0o644 })).attr;
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.from('shared data'), 'unstable');
  const linked = await v.link(ROOT_CALLER, f.ino, ROOT_INODE, 'g');
  assert.equal(linked.nlink, 2);
  await v.unlink(ROOT_CALLER, ROOT_INODE, 'f');
  v.retain(f.ino);
  await v.unlink(ROOT_CALLER, ROOT_INODE, 'g');
  assert.equal((await v.read(ROOT_CALLER, f.ino, 0, 100)).data.toString(), 'shared data', 'open file still readable');
  assert.equal((await v.getattr(f.ino)).nlink, 0);
  assert.deepEqual((await v.fsck()).problems, []);
  await v.release(f.ino);
  await rejects(v.getattr(f.ino), 'ESTALE');
  assert.equal((await v.usage()).inodes, 1);
});

test('rmdir refuses non-empty directories and non-directories; unlink refuses directories', async () => {
  const d = await v.mkdir(ROOT_CALLER, ROOT_INODE, 'd', 0o755);
  await v.create(ROOT_CALLER, d.ino, 'f', { mode: 0o644 });
  await rejects(v.rmdir(ROOT_CALLER, ROOT_INODE, 'd'), 'ENOTEMPTY');
  await rejects(v.unlink(ROOT_CALLER, ROOT_INODE, 'd'), 'EISDIR');
  await rejects(v.rmdir(ROOT_CALLER, d.ino, 'f'), 'ENOTDIR');
  await v.unlink(ROOT_CALLER, d.ino, 'f');
  await v.rmdir(ROOT_CALLER, ROOT_INODE, 'd');
  assert.equal((await v.getattr(ROOT_INODE)).nlink, 2);
});

test('sparse files read zeros in holes; truncate down and up; SEEK finds data and holes', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'sparse', { mode: 0o644 })).attr;
  await v.write(ROOT_CALLER, f.ino, 10 * 1024 * 1024, Buffer.from('end'), 'file_sync');
  const a = await v.getattr(f.ino);
  assert.equal(a.size, 10 * 1024 * 1024 + 3);
  assert.ok(a.used < 4096, 'a hole takes no space');
  const mid = await v.read(ROOT_CALLER, f.ino, 5 * 1024 * 1024, 4096);
  assert.ok(mid.data.equals(Buffer.alloc(4096)));
  assert.equal(await v.seek(f.ino, 0, 'data'), 10 * 1024 * 1024);
  assert.equal(await v.seek(f.ino, 0, 'hole'), 0);
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.alloc(100_000, 1), 'file_sync');
  await v.setattr(ROOT_CALLER, f.ino, { size: 50_000 });
  await v.setattr(ROOT_CALLER, f.ino, { size: 60_000 });
  const r = await v.read(ROOT_CALLER, f.ino, 49_990, 100);
  assert.ok(r.data.subarray(0, 10).equals(Buffer.alloc(10, 1)));
  assert.ok(r.data.subarray(10).equals(Buffer.alloc(90)), 'truncated bytes do not come back');
  assert.equal(r.eof, false);
  assert.equal((await v.read(ROOT_CALLER, f.ino, 59_990, 100)).eof, true);
  await v.deallocate(ROOT_CALLER, f.ino, 0, 4096);
  assert.ok((await v.read(ROOT_CALLER, f.ino, 0, 4096)).data.equals(Buffer.alloc(4096)));
  assert.deepEqual((await v.fsck({ verifyData: true })).problems, []);
});

test('small random writes are compacted and read back exactly', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'db', { mode: 0o644 })).attr;
  const expected = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < 200; i++) {
    const off = (i * 7919 * 13) % (expected.length - 100);
    const chunk = Buffer.alloc(100, i % 251);
    chunk.copy(expected, off);
    await v.write(ROOT_CALLER, f.ino, off, chunk, i % 10 === 0 ? 'file_sync' : 'unstable');
  }
  await v.setattr(ROOT_CALLER, f.ino, { size: expected.length });
  await v.commit();
  const got = await v.read(ROOT_CALLER, f.ino, 0, expected.length);
  assert.ok(got.data.equals(expected));
  assert.deepEqual((await v.fsck({ verifyData: true })).problems, []);
});

test('a freed block is deleted only once the transaction freeing it is durable (power loss could undo it)', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'doomed', { mode: 0o644 })).attr;
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.alloc(1024 * 1024, 0x5a), 'file_sync');
  const events: string[] = [];
  const live = v as unknown as {
    store: { sync: (o?: unknown) => Promise<void> };
    blockStore: { delete: (id: string) => Promise<void> };
  };
  const sync = live.store.sync.bind(live.store);
  live.store.sync = async (o) => {
    events.push('sync');
    await sync(o);
  };
  const del = live.blockStore.delete.bind(live.blockStore);
  live.blockStore.delete = async (id) => {
    events.push('delete');
    await del(id);
  };
  events.push('unlink');
  await v.unlink(ROOT_CALLER, ROOT_INODE, 'doomed');
  await v.commit();
  const firstDelete = events.indexOf('delete');
  assert.ok(firstDelete > 0, `the block is deleted once the removal is durable (${events.join(', ')})`);
  assert.ok(events.slice(events.indexOf('unlink'), firstDelete).includes('sync'),
    `a sync after the removal comes before the block's deletion (${events.join(', ')})`);
  assert.deepEqual((await v.fsck()).problems, []);
});

test('a flush whose block write fails deletes the blocks its other pieces wrote; the data stays buffered and a later commit stores it', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'half', { mode: 0o644 })).attr;
  const data = Buffer.alloc(8 * 1024 * 1024 - 1, 0x3c); // two blocks, below the background flush threshold
  data.fill(0x7d, 4 * 1024 * 1024);
  const live = v as unknown as {
    blockStore: { putHashed: (id: string, parts: readonly Buffer[]) => Promise<unknown>; delete: (id: string) => Promise<void> };
  };
  const put = live.blockStore.putHashed.bind(live.blockStore);
  const del = live.blockStore.delete.bind(live.blockStore);
  const stored: string[] = [];
  const deleted: string[] = [];
  let calls = 0;
  live.blockStore.putHashed = async (id, parts) => {
    if (++calls === 1) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // fails after the other piece is stored
      throw Object.assign(new Error('injected write failure'), { code: 'EIO' });
    }
    stored.push(id);
    return put(id, parts);
  };
  live.blockStore.delete = async (id) => {
    deleted.push(id);
    await del(id);
  };
  await v.write(ROOT_CALLER, f.ino, 0, data, 'unstable');
  await rejects(v.commit(f.ino), 'EIO');
  assert.equal(stored.length, 1, 'the other piece was stored');
  assert.deepEqual(deleted, stored, 'and deleted once the flush failed');
  live.blockStore.putHashed = put;
  const readBack = async () => {
    const out: Buffer[] = [];
    for (let at = 0; at < data.length; at += 1024 * 1024) out.push((await v.read(ROOT_CALLER, f.ino, at, 1024 * 1024)).data);
    return Buffer.concat(out);
  };
  assert.ok((await readBack()).equals(data), 'the data reads back while buffered');
  await v.commit(f.ino);
  assert.ok((await readBack()).equals(data), 'and once stored');
  assert.deepEqual((await v.fsck({ verifyData: true })).problems, []);
});

test('a damaged block reads as EIO, never as wrong data, and fsck reports it', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'big', { mode: 0o644 })).attr;
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.alloc(1024 * 1024, 0x61), 'file_sync');
  await v.close();
  writeFileSync(onlyBlockFile(), Buffer.alloc(1024 * 1024, 0x62));
  v = await openVolume({ dir, id: ID });
  await rejects(v.read(ROOT_CALLER, f.ino, 0, 10), 'EIO');
  const report = await v.fsck({ verifyData: true });
  assert.equal(report.problems.length, 1);
  assert.match(report.problems[0].detail, /SHA-256/);
});

/** The one block file of a volume with a single block. */
function onlyBlockFile(): string {
  const fan = readdirSync(join(dir, 'blocks'))[0];
  return join(dir, 'blocks', fan, readdirSync(join(dir, 'blocks', fan))[0]);
}

/** Works on a closed volume's metadata, as a volume written by another build, or damaged, would have it. */
function withMeta<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(dir, 'meta.db'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

test('reads verify blocks by their segment CRCs: a block whose CRCs do not match reads as EIO, and fsck says why', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'big', { mode: 0o644 })).attr;
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.alloc(1024 * 1024, 0x61), 'file_sync');
  await v.close();
  // The data and its SHA-256 are intact; one bit of the recorded CRCs is not.
  withMeta((db) => {
    const b = db.prepare('SELECT id, crc32s FROM blocks').get() as { id: string; crc32s: Buffer };
    b.crc32s[41] ^= 1;
    db.prepare('UPDATE blocks SET crc32s = ? WHERE id = ?').run(b.crc32s, b.id);
  });
  v = await openVolume({ dir, id: ID });
  await rejects(v.read(ROOT_CALLER, f.ino, 0, 10), 'EIO');
  const report = await v.fsck({ verifyData: true });
  assert.deepEqual(report.problems.map((p) => p.detail.replace(/block \w+/, 'block B')), ['block B does not match its segment CRCs']);
});

test('a block recorded without segment CRCs (by an earlier build) is verified by its SHA-256; new blocks get CRCs', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'old', { mode: 0o644 })).attr;
  const data = Buffer.alloc(1024 * 1024, 0x61);
  await v.write(ROOT_CALLER, f.ino, 0, data, 'file_sync');
  await v.close();
  const oldId = withMeta((db) => {
    db.exec('ALTER TABLE blocks DROP COLUMN crc32s');
    return (db.prepare('SELECT id FROM blocks').get() as { id: string }).id;
  });
  v = await openVolume({ dir, id: ID });
  assert.ok((await v.read(ROOT_CALLER, f.ino, 0, data.length)).data.equals(data), 'an intact block reads back');
  const g = (await v.create(ROOT_CALLER, ROOT_INODE, 'new', { mode: 0o644 })).attr;
  await v.write(ROOT_CALLER, g.ino, 0, data, 'file_sync');
  await v.close();
  const crcs = withMeta((db) => db.prepare('SELECT id, crc32s FROM blocks ORDER BY id = ? DESC').all(oldId) as Array<{ crc32s: Buffer | null }>);
  assert.deepEqual(crcs.map((r) => r.crc32s?.length ?? null), [null, 64], 'the column is back: the old block has none, the new one 16 segments');
  writeFileSync(join(dir, 'blocks', oldId.slice(0, 2), oldId), Buffer.alloc(1024 * 1024, 0x62));
  v = await openVolume({ dir, id: ID });
  await rejects(v.read(ROOT_CALLER, f.ino, 0, 10), 'EIO');
  assert.ok((await v.read(ROOT_CALLER, g.ino, 0, data.length)).data.equals(data), 'the new block is untouched');
});

test('snapshots are read-only points in time; their blocks outlive the live data until deleted', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'f', { mode: 0o644 })).attr;
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.alloc(200_000, 1), 'unstable');
  const s = await v.snapshot('before');
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.alloc(200_000, 2), 'file_sync');
  await v.unlink(ROOT_CALLER, ROOT_INODE, 'f');
  await v.commit();
  const snap = await v.openSnapshot(s.id);
  const sf = await snap.lookup(ROOT_CALLER, ROOT_INODE, 'f');
  assert.ok((await snap.read(ROOT_CALLER, sf.ino, 0, 200_000)).data.equals(Buffer.alloc(200_000, 1)));
  await snap.close();
  assert.deepEqual((await v.listSnapshots()).map((x) => x.name), ['before']);
  assert.equal((await v.fsck()).blocks, 1, 'the snapshot holds the old block');
  await v.deleteSnapshot(s.id);
  const after = await v.fsck({ verifyData: true });
  assert.equal(after.blocks, 0);
  assert.deepEqual(after.problems, []);
  assert.equal(readdirSync(join(dir, 'snapshots')).length, 0);
});

test('usage follows the reference metering: 2 KiB per inode plus data rounded up to 4 KiB', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'f', { mode: 0o644 })).attr;
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.alloc(5000), 'file_sync');
  await v.mkdir(ROOT_CALLER, ROOT_INODE, 'd', 0o755);
  const u = await v.usage();
  assert.equal(u.inodes, 3);
  assert.equal(u.logicalBytes, 5000);
  assert.equal(u.meteredBytes, 3 * 2048 + 8192);
});

test('a capacity-limited volume answers ENOSPC', async () => {
  await v.close();
  rmSync(dir, { recursive: true, force: true });
  v = await openVolume({ dir, id: ID, create: true, capacityBytes: 64 * 1024 });
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'f', { mode: 0o644 })).attr;
  await rejects(v.write(ROOT_CALLER, f.ino, 0, Buffer.alloc(100 * 1024), 'unstable'), 'ENOSPC');
});

test('xattrs: set, get, list, create/replace modes, remove', async () => {
  const f = (await v.create(alice, await shared(), 'f', { mode: 0o644 })).attr;
  await rejects(v.setxattr(bob, f.ino, 'user.k', Buffer.from('v')), 'EACCES');
  await v.setxattr(ROOT_CALLER, f.ino, 'user.k', Buffer.from('v'), 'create');
  await rejects(v.setxattr(ROOT_CALLER, f.ino, 'user.k', Buffer.from('w'), 'create'), 'EEXIST');
  await rejects(v.setxattr(ROOT_CALLER, f.ino, 'user.other', Buffer.from('w'), 'replace'), 'ENODATA');
  assert.equal((await v.getxattr(ROOT_CALLER, f.ino, 'user.k')).toString(), 'v');
  assert.deepEqual(await v.listxattr(ROOT_CALLER, f.ino), ['user.k']);
  await v.removexattr(ROOT_CALLER, f.ino, 'user.k');
  await rejects(v.getxattr(ROOT_CALLER, f.ino, 'user.k'), 'ENODATA');
});

test('readdir pages with stable cookies', async () => {
  for (let i = 0; i < 25; i++) await v.create(ROOT_CALLER, ROOT_INODE, `f${i}`, { mode: 0o644 });
  const seen: string[] = [];
  let cookie = 0;
  for (;;) {
    const page = await v.readdir(ROOT_CALLER, ROOT_INODE, cookie, 10);
    seen.push(...page.entries.map((e) => e.name));
    if (page.eof) break;
    cookie = page.entries[page.entries.length - 1].cookie;
  }
  assert.equal(seen.length, 25);
  assert.equal(new Set(seen).size, 25);
});

test('readdir sees every change made between two listings and pages, with attributes when asked', async () => {
  const list = async (limit: number) => {
    const names: string[] = [];
    let cookie = 0;
    for (;;) {
      const page = await v.readdir(ROOT_CALLER, ROOT_INODE, cookie, limit, { attrs: true });
      for (const e of page.entries) {
        assert.equal(e.attr?.ino, e.ino, `attributes of ${e.name}`);
        names.push(e.name);
      }
      if (page.eof) return names.sort();
      cookie = page.entries[page.entries.length - 1].cookie;
    }
  };
  for (let i = 0; i < 30; i++) await v.create(ROOT_CALLER, ROOT_INODE, `f${i}`, { mode: 0o644 });
  assert.equal((await list(7)).length, 30);
  await v.unlink(ROOT_CALLER, ROOT_INODE, 'f3');
  await v.rename(ROOT_CALLER, ROOT_INODE, 'f4', ROOT_INODE, 'renamed');
  await v.mkdir(ROOT_CALLER, ROOT_INODE, 'sub', 0o755);
  const after = await list(7);
  assert.ok(!after.includes('f3') && !after.includes('f4'), 'removed and renamed-away names are gone');
  assert.ok(after.includes('renamed') && after.includes('sub'), 'new names are listed');
  assert.equal(after.length, 30);
  // A change in the middle of paging: entries after the cookie that were added show up, removed ones do not.
  const first = await v.readdir(ROOT_CALLER, ROOT_INODE, 0, 10);
  await v.create(ROOT_CALLER, ROOT_INODE, 'late', { mode: 0o644 });
  await v.unlink(ROOT_CALLER, ROOT_INODE, 'f29');
  const rest = await v.readdir(ROOT_CALLER, ROOT_INODE, first.entries[9].cookie, 100);
  const names = rest.entries.map((e) => e.name);
  assert.ok(names.includes('late') && !names.includes('f29'), 'the rest of the listing reflects the changes');
});

test('a read sees every committed change of a file it read before: overwrite, append, hole punch, truncate', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'small', { mode: 0o644 })).attr;
  let want = Buffer.alloc(20000, 0x61);
  const check = async (what: string) => {
    await v.commit(f.ino); // read what the store holds, not buffered writes
    const r = await v.read(ROOT_CALLER, f.ino, 0, 1 << 20);
    assert.ok(r.data.equals(want), `${what}: read ${r.data.length} bytes, want ${want.length}`);
  };
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.from(want), 'file_sync');
  await check('first write');
  await v.write(ROOT_CALLER, f.ino, 5000, Buffer.alloc(100, 0x62), 'unstable');
  want.fill(0x62, 5000, 5100);
  await check('overwrite');
  await v.write(ROOT_CALLER, f.ino, want.length, Buffer.alloc(3000, 0x63), 'file_sync');
  want = Buffer.concat([want, Buffer.alloc(3000, 0x63)]);
  await check('append');
  await v.deallocate(ROOT_CALLER, f.ino, 1000, 2000);
  want.fill(0, 1000, 3000);
  await check('hole punch');
  await v.setattr(ROOT_CALLER, f.ino, { size: 4000 });
  want = want.subarray(0, 4000);
  await check('truncate');
  // Small writes give the file many extents; its reads stay exact as the count grows past any threshold.
  for (let i = 0; i < 20; i++) {
    await v.write(ROOT_CALLER, f.ino, i * 200, Buffer.alloc(50, i), 'file_sync');
    want.fill(i, i * 200, i * 200 + 50);
    await check(`small write ${i}`);
  }
});

test('the write verifier changes when the volume is reopened; data and attributes persist', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'f', { mode: 0o600 })).attr;
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.from('kept'), 'unstable');
  const verf = v.writeVerifier;
  await v.close();
  v = await openVolume({ dir, id: ID });
  assert.notDeepEqual(v.writeVerifier, verf);
  const a = await v.getattr(f.ino);
  assert.equal(a.mode, 0o600);
  assert.equal((await v.read(ROOT_CALLER, f.ino, 0, 10)).data.toString(), 'kept');
  await rejects(openVolume({ dir, id: 'fs-00000000000000000' }), 'EINVAL');
});

test('restore from a snapshot export: usable at once, blocks fetched lazily by hash, then hydrated', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'big', { mode: 0o640 })).attr;
  const data = Buffer.alloc(9 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
  await v.write(ROOT_CALLER, f.ino, 0, data, 'unstable');
  await v.symlink(ROOT_CALLER, ROOT_INODE, 'link', 'big');
  const snap = await v.snapshot('for-restore');
  const exp = await v.exportSnapshot(snap.id);
  const byHash = new Map<string, string>();
  for await (const b of exp.blocks()) byHash.set(b.sha256.toString('hex'), b.id);
  assert.equal(byHash.size, 3, '9 MiB = three blocks');
  let fetched = 0;
  const target = join(dir, 'restored');
  const restored = await openRestore(target, exp.metadataFile, async (hash) => {
    fetched++;
    return exp.readBlock(byHash.get(hash.toString('hex')) as string);
  });
  try {
    const before = await restored.hydration();
    assert.equal(before.blocksLocal, 0);
    const rf = await restored.lookup(ROOT_CALLER, ROOT_INODE, 'big');
    assert.equal(rf.mode, 0o640);
    assert.equal(await restored.readlink((await restored.lookup(ROOT_CALLER, ROOT_INODE, 'link')).ino), 'big');
    const head = await restored.read(ROOT_CALLER, rf.ino, 0, 4096);
    assert.ok(head.data.equals(data.subarray(0, 4096)));
    assert.equal(fetched, 1, 'first read fetched one block');
    const progress: number[] = [];
    await restored.hydrate((s) => progress.push(s.blocksLocal));
    assert.equal(progress[progress.length - 1], 3);
    assert.equal(fetched, 3);
    for (let off = 0; off < data.length; off += 1 << 20) {
      const part = await restored.read(ROOT_CALLER, rf.ino, off, 1 << 20);
      assert.ok(part.data.equals(data.subarray(off, off + (1 << 20))), `restored data at ${off}`);
    }
    assert.deepEqual((await restored.fsck({ verifyData: true })).problems, []);
    assert.equal(restored.id, 'fs-11111111111111111');
  } finally {
    await restored.close();
    await exp.close();
  }
});

async function openRestore(target: string, metadataFile: string, source: (h: Buffer, len: number) => Promise<Buffer>) {
  const { restoreVolume } = await import('./index.ts');
  return restoreVolume({ dir: target, id: 'fs-11111111111111111', metadataFile, source });
}
