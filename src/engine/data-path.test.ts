// The block data path: sequential reads that read ahead, random reads, and fragmented windows that get compacted,
// always returning exactly the bytes written.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openVolume, ROOT_CALLER, ROOT_INODE, type InodeNumber, type Volume } from './index.ts';
import type { MetaStore } from './meta/store.ts';
import { COMPACT_EXTENTS } from './volume.ts';

const ID = 'fs-0123456789abcdef0';
const MiB = 1024 * 1024;
let dir: string;
let v: Volume;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fathom-data-'));
  v = await openVolume({ dir, id: ID, create: true });
});
afterEach(async () => {
  await v.close();
  rmSync(dir, { recursive: true, force: true });
});

async function reopen(): Promise<void> {
  await v.close();
  v = await openVolume({ dir, id: ID });
}

test('a file read sequentially (blocks read ahead), backwards and at random returns exactly what was written', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'seq', { mode: 0o644 })).attr;
  const expected = randomBytes(22 * MiB + 12345);
  for (let off = 0; off < expected.length; off += MiB) {
    await v.write(ROOT_CALLER, f.ino, off, Buffer.from(expected.subarray(off, off + MiB)), 'unstable');
  }
  await v.commit(f.ino);
  await reopen();
  const kept: Buffer[] = [];
  for (let off = 0; off < expected.length; off += MiB) {
    const r = await v.read(ROOT_CALLER, f.ino, off, MiB);
    assert.ok(r.data.equals(expected.subarray(off, off + MiB)), `sequential read at ${off}`);
    kept.push(r.data);
  }
  // Replies may be held long after (a slow client): what they show must not change.
  kept.forEach((d, i) => assert.ok(d.equals(expected.subarray(i * MiB, (i + 1) * MiB)), `held reply ${i}`));
  await reopen();
  for (let off = expected.length - 65536; off > 0; off -= 3 * MiB + 4096) {
    const r = await v.read(ROOT_CALLER, f.ino, off, 65536);
    assert.ok(r.data.equals(expected.subarray(off, off + 65536)), `backward read at ${off}`);
  }
  for (let i = 0; i < 50; i++) {
    const off = Math.floor(Math.random() * expected.length);
    const r = await v.read(ROOT_CALLER, f.ino, off, 4096);
    assert.ok(r.data.equals(expected.subarray(off, off + 4096)), `random read at ${off}`);
  }
});

test('a sequential reader sees writes committed while it reads (read-ahead never serves stale blocks)', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'moving', { mode: 0o644 })).attr;
  const expected = randomBytes(16 * MiB);
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.from(expected), 'file_sync');
  await reopen();
  for (let off = 0; off < expected.length; off += MiB) {
    const r = await v.read(ROOT_CALLER, f.ino, off, MiB);
    assert.ok(r.data.equals(expected.subarray(off, off + MiB)), `read at ${off}`);
    // Overwrite a range the reader has not reached yet (whose block may be loading ahead already).
    const ahead = off + 3 * MiB + 100;
    if (ahead + 5000 <= expected.length) {
      const patch = randomBytes(5000);
      patch.copy(expected, ahead);
      await v.write(ROOT_CALLER, f.ino, ahead, patch, off % (2 * MiB) === 0 ? 'file_sync' : 'unstable');
    }
  }
});

test('many small synchronous writes into one window are compacted and read back exactly, with fsck clean', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'db', { mode: 0o644 })).attr;
  const expected = randomBytes(8 * MiB);
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.from(expected), 'file_sync');
  await reopen(); // compaction then reads the blocks from the disk, into leased read slots
  // 1 KiB writes inside distinct 4 KiB slots, each splitting an extent in three: the first window crosses the
  // compaction threshold ~20 writes before the end (one write in 50 goes to the second window).
  const writes = COMPACT_EXTENTS / 2 + 40;
  for (let i = 0; i < writes; i++) {
    const off = ((i * 7919) % 1024) * 4096 + 1024 + (i % 50 === 0 ? 4 * MiB : 0);
    const chunk = randomBytes(1024);
    chunk.copy(expected, off);
    await v.write(ROOT_CALLER, f.ino, off, chunk, 'file_sync');
    if (i % 37 === 0) {
      const r = await v.read(ROOT_CALLER, f.ino, off, chunk.length);
      assert.ok(r.data.equals(chunk), `read back write ${i}`);
    }
  }
  const extents = await (v as unknown as { store: MetaStore }).store.reader.countExtents(f.ino, 0, 4 * MiB);
  assert.ok(extents < 100, `the first window was compacted (${extents} extents)`);
  const got = await v.read(ROOT_CALLER, f.ino, 0, 4 * MiB);
  assert.ok(got.data.equals(expected.subarray(0, 4 * MiB)), 'first window after compaction');
  await reopen();
  const again = await v.read(ROOT_CALLER, f.ino, 4 * MiB, 4 * MiB);
  assert.ok(again.data.equals(expected.subarray(4 * MiB)), 'second window after reopen');
  assert.deepEqual((await v.fsck({ verifyData: true })).problems, [], 'fsck finds no problem');
});

test('a window crowded while the file\'s whole extent map is still cached is compacted too', async () => {
  // With a threshold of 16 the window crowds long before the file has 1,024 extents: the flush counts the window's
  // extents from the map its transaction keeps, not from the store.
  await v.close();
  v = await openVolume({ dir, id: ID, compactAbove: 16 });
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'small-writes', { mode: 0o644 })).attr;
  const expected = randomBytes(4 * MiB);
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.from(expected), 'file_sync');
  for (let i = 0; i < 200; i++) {
    const off = ((i * 389) % 1024) * 4096 + 512;
    const chunk = randomBytes(1024);
    chunk.copy(expected, off);
    await v.write(ROOT_CALLER, f.ino, off, chunk, 'file_sync');
  }
  const extents = await (v as unknown as { store: MetaStore }).store.reader.countExtents(f.ino, 0, 4 * MiB);
  // Uncompacted, 200 splits would leave 401 extents; compaction rewrites the window each time it passes 16.
  assert.ok(extents <= 17, `the window was compacted (${extents} extents)`);
  assert.ok((await v.read(ROOT_CALLER, f.ino, 0, 4 * MiB)).data.equals(expected), 'the window reads back exactly');
});

test('a file whose extent map grows past what is cached (1,024 extents) reads back exactly, also after reopen', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'patched', { mode: 0o644 })).attr;
  const expected = randomBytes(24 * MiB);
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.from(expected), 'file_sync');
  const readAll = async (what: string) => {
    for (let off = 0; off < expected.length; off += MiB) {
      const r = await v.read(ROOT_CALLER, f.ino, off, MiB);
      assert.ok(r.data.equals(expected.subarray(off, off + MiB)), `${what}: MiB at ${off}`);
    }
  };
  await readAll('unfragmented');
  // 120 separate 100-byte writes into each of the 6 windows: 241 extents each (below compaction), 1,446 in all.
  for (let i = 0; i < 720; i++) {
    const off = (i % 6) * 4 * MiB + Math.floor(i / 6) * 32768 + 1000;
    const patch = randomBytes(100);
    patch.copy(expected, off);
    await v.write(ROOT_CALLER, f.ino, off, patch, 'file_sync');
    if (i % 97 === 0) await readAll(`after write ${i}`);
  }
  await readAll('fragmented');
  await reopen();
  await readAll('after reopen');
  assert.deepEqual((await v.fsck({ verifyData: true })).problems, [], 'fsck finds no problem');
});

test('a write given as parts (a WRITE as the socket delivered it) stores their concatenation, over older data too', async () => {
  const f = (await v.create(ROOT_CALLER, ROOT_INODE, 'parts', { mode: 0o644 })).attr;
  const expected = randomBytes(6 * MiB);
  await v.write(ROOT_CALLER, f.ino, 0, Buffer.from(expected), 'unstable');
  const update = randomBytes(MiB + 777);
  const cuts = [0, 1, 65536, 65536, 300_001, MiB, update.length];
  const parts = cuts.slice(1).map((end, i) => update.subarray(cuts[i], end));
  const r = await v.write(ROOT_CALLER, f.ino, 3 * MiB - 5, parts, 'unstable');
  assert.equal(r.count, update.length, 'count is the total of the parts');
  update.copy(expected, 3 * MiB - 5);
  assert.ok((await readAll(f.ino, expected.length)).equals(expected), 'buffered parts read back in place');
  await v.commit(f.ino);
  await reopen();
  assert.ok((await readAll(f.ino, expected.length)).equals(expected), 'flushed parts read back after a restart');
});

async function readAll(ino: InodeNumber, size: number): Promise<Buffer> {
  const out: Buffer[] = [];
  for (let off = 0; off < size; off += MiB) out.push((await v.read(ROOT_CALLER, ino, off, MiB)).data);
  return Buffer.concat(out);
}
