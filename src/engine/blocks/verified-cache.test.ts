// The verified-block cache holds at most 64 MiB for the whole process, however many volumes are read: a server with
// many busy file systems must not hold 64 MiB of blocks for each. A block read into pooled memory gives it back when
// it leaves the cache and its readers have released their views, and not before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readSlotStats, releaseBlockView, sha256 } from './hash-pool.ts';
import { LocalBlockStore } from './local-store.ts';
import { segmentCrcs } from './segment-crc.js';
import { VerifiedBlockReader } from './verified-cache.ts';

const MiB = 1024 * 1024;
// Assertions compare booleans: a failing assertion on a 16 MiB buffer would print all of it.

test('one bound for the blocks of all volumes, least recently used out first; a closing volume takes its own', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-vcache-'));
  try {
    const a = new VerifiedBlockReader(new LocalBlockStore(path.join(dir, 'a')));
    const b = new VerifiedBlockReader(new LocalBlockStore(path.join(dir, 'b')));
    const block = () => Buffer.allocUnsafe(16 * MiB); // never touched: costs no memory
    a.remember('a1', block());
    a.remember('a2', block());
    b.remember('b1', block());
    // A hit makes a1 the most recently used.
    assert.ok(a.cached('a1') !== undefined, 'a1 should be cached while 48 MiB are held');
    b.remember('b2', block());
    a.remember('a3', block()); // 80 MiB asked for: the least recently used (a2) goes
    assert.ok(a.cached('a2') === undefined, 'the bound is per volume, not for the process');
    for (const [r, id] of [[a, 'a1'], [a, 'a3'], [b, 'b1'], [b, 'b2']] as const) {
      assert.ok(r.cached(id) !== undefined, `${id} should still be cached`);
    }
    assert.ok(b.cached('a1') === undefined, "one volume's reader found another volume's block");
    b.release();
    assert.ok(b.cached('b1') === undefined, 'a released reader still has blocks cached');
    assert.ok(a.cached('a1') !== undefined, "releasing one volume's blocks took another's");
    a.release();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a block leaving the cache gives its read slot back once its readers released their views; a view kept stays intact', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-vcache-'));
  try {
    const store = new LocalBlockStore(dir);
    const reader = new VerifiedBlockReader(store);
    const blocks = await Promise.all(Array.from({ length: 30 }, async (_, i) => {
      const data = randomBytes(2 * MiB);
      await store.put(`k${i}`, [data]);
      return { data, ref: { id: `k${i}`, len: data.length, sha256: sha256(data), crc32s: segmentCrcs(data) } };
    }));
    const kept = await reader.get(blocks[0].ref);
    reader.forget('k0');
    const before = readSlotStats();
    for (const b of blocks.slice(1)) {
      const view = await reader.get(b.ref);
      assert.ok(view.equals(b.data), `content of ${b.ref.id}`);
      const hit = reader.cached(b.ref.id) as Buffer;
      releaseBlockView(view);
      assert.ok(hit.equals(b.data), `a cache hit's view of ${b.ref.id} outlives the release of another reader's`);
      releaseBlockView(hit);
      reader.forget(b.ref.id);
    }
    const after = readSlotStats();
    assert.equal(after.freshReads, before.freshReads, 'every read found a free slot');
    assert.ok(after.slots <= before.slots + 1, `released slots are reused (${before.slots} slots before, ${after.slots} after)`);
    assert.ok(kept.equals(blocks[0].data), 'a view kept after its block left the cache stays intact');
    reader.release();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
