// The verified-block cache holds at most 64 MiB for the whole process, however many volumes are read: a server with
// many busy file systems must not hold 64 MiB of blocks for each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalBlockStore } from './local-store.ts';
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
