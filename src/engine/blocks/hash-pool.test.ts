// Checksums, block writes and whole-block reads on the block threads: same answers as on the event loop, errors with their errno,
// and a read buffer is never reused while anything still refers to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAndHash, readSlotStats, releaseBlockView, sha256, sha256Off, shareBlockView, writeAndHash } from './hash-pool.ts';
import { segmentCrcs } from './segment-crc.js';

const MiB = 1024 * 1024;

test('sha256Off equals SHA-256 of the concatenated parts, small, slot-sized and larger than a slot', async () => {
  for (const sizes of [[], [0], [100, 3], [MiB, 1, MiB], [4 * MiB], [3 * MiB, 3 * MiB]]) {
    const parts = sizes.map((n) => randomBytes(n));
    assert.ok((await sha256Off(parts)).equals(sha256(...parts)), `parts of ${sizes.join('+')} bytes`);
  }
  // Jobs in flight at once share the bounded set of shared buffers without mixing their data.
  const many = Array.from({ length: 12 }, () => randomBytes(MiB + 17));
  const got = await Promise.all(many.map((b) => sha256Off([b])));
  got.forEach((h, i) => assert.ok(h.equals(sha256(many[i])), `concurrent hash ${i}`));
});

test('readAndHash returns the file and the checksum asked for, and errno codes for missing or oversized files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-hashpool-'));
  try {
    for (const len of [0, 5000, 3 * MiB + 5]) {
      const data = randomBytes(len);
      writeFileSync(join(dir, 'f'), data);
      // 4 MiB: into a read slot (direct I/O); 8 MiB: larger than a slot, into fresh memory.
      for (const maxLen of [4 * MiB, 8 * MiB]) {
        const r = await readAndHash(join(dir, 'f'), maxLen, 'sha256');
        assert.ok(r.data.equals(data), `content of a ${len}-byte file read with room for ${maxLen}`);
        assert.ok(r.digest.equals(sha256(data)), `SHA-256 of a ${len}-byte file read with room for ${maxLen}`);
        const c = await readAndHash(join(dir, 'f'), maxLen, 'crc32s');
        assert.ok(c.data.equals(data) && c.digest.equals(segmentCrcs(data)), `CRCs of a ${len}-byte file read with room for ${maxLen}`);
      }
    }
    await assert.rejects(readAndHash(join(dir, 'missing'), MiB, 'crc32s'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT', 'ENOENT');
    writeFileSync(join(dir, 'big'), randomBytes(2 * MiB));
    await assert.rejects(readAndHash(join(dir, 'big'), 2 * MiB - 1, 'crc32s'), (e: NodeJS.ErrnoException) => e.code === 'EFBIG', 'EFBIG');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a read slot serves the next read once every lease on it is released; a lease still held keeps its bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-hashpool-'));
  try {
    const files = Array.from({ length: 30 }, (_, i) => {
      const data = randomBytes(2 * MiB);
      writeFileSync(join(dir, `b${i}`), data);
      return data;
    });
    const first = await readAndHash(join(dir, 'b0'), 4 * MiB, 'crc32s');
    const kept = shareBlockView(first.data.subarray(5, 5 + MiB)); // another holder's lease on the same slot
    releaseBlockView(first.data);
    const before = readSlotStats();
    for (let i = 1; i < files.length; i++) {
      const r = await readAndHash(join(dir, `b${i}`), 4 * MiB, 'crc32s');
      assert.ok(r.data.equals(files[i]), `content of block ${i}`);
      const again = shareBlockView(r.data);
      releaseBlockView(r.data);
      assert.ok(again.equals(files[i]), `a shared view of block ${i} outlives the release of the first`);
      releaseBlockView(again);
      releaseBlockView(again); // twice: no effect
    }
    const after = readSlotStats();
    assert.equal(after.freshReads, before.freshReads, 'every read found a free slot');
    assert.ok(after.slots <= before.slots + 1, `released slots are reused (${before.slots} slots before, ${after.slots} after)`);
    assert.ok(kept.equals(files[0].subarray(5, 5 + MiB)), 'the lease still held kept its bytes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a read buffer keeps its bytes while referenced, even when more blocks are read than there are slots', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-hashpool-'));
  try {
    const files = Array.from({ length: 40 }, (_, i) => {
      const data = randomBytes(MiB + i);
      writeFileSync(join(dir, `b${i}`), data);
      return data;
    });
    // Only views are kept (as NFS replies keep them): they alone must hold their slot.
    const held: Buffer[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < files.length; i++) {
        const r = await readAndHash(join(dir, `b${i}`), 4 * MiB, 'crc32s');
        held.push(r.data.subarray(7, 7 + MiB));
        if (held.length > 30) held.shift();
        // Garbage meanwhile gives the collector work, so dropped buffers do get recycled during the test.
        for (let g = 0; g < 50; g++) Buffer.alloc(64 * 1024);
      }
      for (let k = 0; k < held.length; k++) {
        const i = (round * files.length + files.length - held.length + k) % files.length;
        assert.ok(held[k].equals(files[i].subarray(7, 7 + MiB)), `held view of block ${i} unchanged in round ${round}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeAndHash writes exactly the data and returns its SHA-256 and segment CRCs, also for lengths that are not whole sectors', async () => {
  // Direct I/O writes whole sectors, cut to length. tmpfs as well: before Linux 6.6 it refused O_DIRECT (the
  // buffered fallback); since, it takes it.
  const roots = [tmpdir(), ...(existsSync('/dev/shm') ? ['/dev/shm'] : [])];
  for (const root of roots) {
    const dir = mkdtempSync(join(root, 'fathom-hashpool-'));
    try {
      const sizes = [1, 5000, 4096 * 3, MiB + 3, 4 * MiB - 1000, 4 * MiB, 5 * MiB + 1];
      await Promise.all(sizes.map(async (len, i) => {
        const data = randomBytes(len);
        const cut = Math.floor(len / 3);
        const sums = await writeAndHash(join(dir, `w${i}`), [data.subarray(0, cut), data.subarray(cut)]);
        assert.ok(sums.sha256.equals(sha256(data)), `hash of ${len} bytes under ${root}`);
        assert.ok(sums.crc32s.equals(segmentCrcs(data)), `CRCs of ${len} bytes under ${root}`);
        assert.equal(statSync(join(dir, `w${i}`)).size, len, `file length of ${len} bytes under ${root}`);
        assert.ok(readFileSync(join(dir, `w${i}`)).equals(data), `content of ${len} bytes under ${root}`);
        const back = await readAndHash(join(dir, `w${i}`), 8 * MiB, 'crc32s');
        assert.ok(back.data.equals(data) && back.digest.equals(sums.crc32s), `read back ${len} bytes under ${root}`);
      }));
      // A block file is created, never overwritten.
      await assert.rejects(writeAndHash(join(dir, 'w0'), [randomBytes(10)]), (e: NodeJS.ErrnoException) => e.code === 'EEXIST', `EEXIST under ${root}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
