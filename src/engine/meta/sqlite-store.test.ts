// Reads of committed state may run on the write connection (its page cache is warm), but never while a transaction
// is open there: a reader must not see a change that may still roll back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { now } from '../clock.ts';
import type { InodeNumber } from '../types.ts';
import type { InodeRow } from './store.ts';
import { SqliteMetaStore } from './sqlite-store.ts';

/** A regular file's inode row, as of now. */
function fileRow(size: number, used: number): Omit<InodeRow, 'ino'> {
  const t = now();
  return {
    type: 'file', mode: 0o644, uid: 0, gid: 0, nlink: 1, size, used, rdevMajor: 0, rdevMinor: 0,
    atime: t, mtime: t, ctime: t, btime: t, change: 1, generation: 7, parent: null, target: null, verifier: null,
  };
}

test('reads see committed state only, also while a transaction is open, and everything once it commits', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-store-'));
  const store = SqliteMetaStore.open(path.join(dir, 'meta.db'), { create: true });
  try {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: (ino: InodeNumber) => void;
    const insertedIno = new Promise<InodeNumber>((resolve) => (inserted = resolve));
    const txn = store.write(async (tx) => {
      const ino = await tx.insertInode(fileRow(5, 4096));
      await tx.insertExtent({ ino, pos: 0, len: 5, blockId: null, blockOff: 0, data: Buffer.from('hello') });
      inserted(ino);
      await held;
    });
    const ino = await insertedIno;
    try {
      assert.equal(await store.reader.getInode(ino), undefined, 'an uncommitted inode was visible to a reader');
      assert.deepEqual(await store.reader.extentsIn(ino, 0, 5), [], 'an uncommitted extent was visible to a reader');
    } finally {
      release();
      await txn;
    }
    assert.equal((await store.reader.getInode(ino))?.size, 5, 'the committed inode is not visible');
    const extents = await store.reader.extentsIn(ino, 0, 5);
    assert.equal(extents[0]?.data?.toString(), 'hello', 'the committed extent is not visible');
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an extent updated in place reads back new through the cached map and after reopening; a rolled-back update does not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-store-'));
  const file = path.join(dir, 'meta.db');
  let store = SqliteMetaStore.open(file, { create: true });
  try {
    const extent = (data: string) => ({ ino, pos: 100, len: data.length, blockId: null, blockOff: 0, data: Buffer.from(data) });
    let ino = 0 as InodeNumber;
    await store.write(async (tx) => {
      ino = await tx.insertInode(fileRow(200, 10));
      await tx.insertExtent(extent('0123456789'));
    });
    assert.equal((await store.reader.extentsIn(ino, 0, 200))[0]?.data?.toString(), '0123456789', 'map cached');
    await store.write(async (tx) => tx.updateExtent(extent('abcde')));
    const read = async () => (await store.reader.extentsIn(ino, 0, 200)).map((e) => `${e.pos}+${e.len}:${e.data}`);
    assert.deepEqual(await read(), ['100+5:abcde'], 'the cached map shows the update');
    await assert.rejects(store.write(async (tx) => {
      await tx.updateExtent(extent('XYZ'));
      throw new Error('roll back');
    }), /roll back/);
    assert.deepEqual(await read(), ['100+5:abcde'], 'a rolled-back update is not seen');
    await store.close();
    store = SqliteMetaStore.open(file, { create: false });
    assert.deepEqual(await read(), ['100+5:abcde'], 'the update is in the database');
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cached extent map weighs what the same map read from the database weighs, after inserts, updates and deletes', async () => {
  // The weight bounds the memory the cache holds (inline bytes included); transactions keep it up to date instead
  // of weighing the whole map at every COMMIT.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-store-'));
  const file = path.join(dir, 'meta.db');
  let store = SqliteMetaStore.open(file, { create: true });
  try {
    const run = (pos: number, data: string | null, len = data?.length ?? 4096) =>
      ({ ino, pos, len, blockId: data === null ? 'b1' : null, blockOff: 0, data: data === null ? null : Buffer.from(data) });
    let ino = 0 as InodeNumber;
    await store.write(async (tx) => {
      ino = await tx.insertInode(fileRow(1 << 20, 0));
      for (let i = 0; i < 10; i++) await tx.insertExtent(run(i * 1000, 'x'.repeat(10 + i)));
      await tx.insertExtent(run(50_000, null));
    });
    await store.write(async (tx) => {
      await tx.updateExtent(run(2000, 'longer than it was'));
      await tx.updateExtent(run(3000, 'short'));
      await tx.updateExtent(run(4000, null));
      await tx.deleteExtent(ino, 5000);
      await tx.insertExtent(run(60_000, 'new'));
    });
    const kept = store.cachedExtentMapWeight(ino);
    assert.ok(kept !== undefined, 'the map is cached after the transactions');
    await store.close();
    store = SqliteMetaStore.open(file, { create: false });
    await store.reader.extentsIn(ino, 0, 1 << 20); // loads the map from the database
    assert.equal(kept, store.cachedExtentMapWeight(ino));
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the log is filled with zeros once a volume is in use; what a crash left in it is still recovered, also after another crash', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-store-'));
  const file = (n: number) => ({ ...fileRow(0, 0), uid: n, generation: n });
  // A crash leaves meta.db and its log as they are on disk: copies taken while the store is open.
  const crashCopy = (from: string, to: string) => {
    fs.mkdirSync(to);
    for (const f of ['meta.db', 'meta.db-wal']) fs.copyFileSync(path.join(from, f), path.join(to, f));
  };
  const stores: SqliteMetaStore[] = [];
  try {
    fs.mkdirSync(path.join(dir, 'a'));
    const a = SqliteMetaStore.open(path.join(dir, 'a', 'meta.db'), { create: true });
    stores.push(a);
    const first = await a.write((tx) => tx.insertInode(file(1)));
    crashCopy(path.join(dir, 'a'), path.join(dir, 'b'));
    const b = SqliteMetaStore.open(path.join(dir, 'b', 'meta.db'), { create: false });
    stores.push(b);
    await b.preallocateLog();
    assert.ok(fs.statSync(path.join(dir, 'b', 'meta.db-wal')).size >= 16 * 1024 * 1024, 'the log was not filled');
    assert.equal((await b.reader.getInode(first))?.uid, 1, 'the crashed transaction was not recovered');
    const second = await b.write((tx) => tx.insertInode(file(2)));
    crashCopy(path.join(dir, 'b'), path.join(dir, 'c'));
    const c = SqliteMetaStore.open(path.join(dir, 'c', 'meta.db'), { create: false });
    stores.push(c);
    await c.preallocateLog();
    assert.equal((await c.reader.getInode(first))?.uid, 1, 'a transaction before the fill was lost');
    assert.equal((await c.reader.getInode(second))?.uid, 2, 'a transaction written into the filled log was lost');
    // The first store made one commit durable: a volume hardly written to does not pay for the fill.
    const logOfA = () => fs.statSync(path.join(dir, 'a', 'meta.db-wal')).size;
    await a.sync();
    assert.ok(logOfA() < 1024 * 1024, `the log of a single commit was filled (${logOfA()} bytes)`);
    // The next transaction after the 100th commit waits for the fill that commit started.
    for (let i = 0; i < 100; i++) await a.write((tx) => tx.insertInode(file(3 + i)));
    assert.ok(logOfA() >= 16 * 1024 * 1024, 'a log in use was not filled');
  } finally {
    for (const s of stores) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
