import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { HandleCodec, loadHandleKey, type FileHandle } from './filehandle.ts';
import type { InodeNumber } from '../engine/index.ts';

const codec = new HandleCodec(randomBytes(16));
const object = (ino: number, exportId = 1, generation = 9): FileHandle => ({ kind: 'object', exportId, ino: ino as InodeNumber, generation });

test('file handles round-trip and fit the NFSv3 limit', () => {
  const handles: FileHandle[] = [
    { kind: 'pseudo', node: 0 },
    { kind: 'pseudo', node: 77 },
    object(1, 3, 0xdeadbeef),
    object(Number.MAX_SAFE_INTEGER, 0xffffffff, 0),
  ];
  for (const fh of handles) {
    const buf = codec.encode(fh);
    assert.ok(buf.length <= 64, `a ${buf.length}-byte handle fits NFSv3's 64`);
    assert.deepEqual(codec.decode(buf), fh);
  }
});

test('garbage, truncated or foreign handles decode to undefined', () => {
  const good = codec.encode(object(5));
  assert.equal(codec.decode(Buffer.alloc(0)), undefined);
  assert.equal(codec.decode(good.subarray(0, good.length - 1)), undefined);
  assert.equal(codec.decode(Buffer.concat([good, Buffer.alloc(4)])), undefined);
  const otherVersion = Buffer.from(good);
  otherVersion[1] = 99;
  assert.equal(codec.decode(otherVersion), undefined);
  assert.equal(codec.decode(Buffer.alloc(28, 0xff)), undefined);
});

test('a forged handle (another inode, export or generation with a copied tag) is refused', () => {
  const good = codec.encode(object(5));
  for (const [at, value] of [[15, 6], [7, 2], [19, 10]] as const) {
    const forged = Buffer.from(good);
    forged[at] = value; // inode 5 → 6, export 1 → 2, generation 9 → 10; the tag stays
    assert.equal(codec.decode(forged), undefined, `changing byte ${at} invalidates the handle`);
  }
  assert.equal(new HandleCodec(randomBytes(16)).decode(good), undefined, 'another server key refuses it');
});

test('the handle key is kept in the state directory, so handles survive a restart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-fh-'));
  try {
    const before = codec.encode(object(42));
    const first = new HandleCodec(loadHandleKey(dir)).encode(object(42));
    const again = new HandleCodec(loadHandleKey(dir));
    assert.deepEqual(again.decode(first), object(42));
    assert.notDeepEqual(first, before, 'each server has its own key');
    assert.equal((fs.statSync(path.join(dir, 'handle-key')).mode & 0o777), 0o600);
    assert.deepEqual(fs.readdirSync(dir), ['handle-key'], 'no temporary file left');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('handles of the same inode in two exports are both valid and distinct', () => {
  const a = codec.encode(object(77, 1, 5));
  const b = codec.encode(object(77, 2, 5));
  assert.notDeepEqual(a, b);
  assert.deepEqual(codec.decode(a), object(77, 1, 5));
  assert.deepEqual(codec.decode(b), object(77, 2, 5));
  const newer = codec.encode(object(77, 1, 6)); // the inode number reused with a new generation
  assert.deepEqual(codec.decode(newer), object(77, 1, 6));
  assert.deepEqual(codec.decode(a), object(77, 1, 5), 'the older handle still decodes (the engine answers STALE)');
  // Inode numbers alike in their low bits, beyond 32 bits: each keeps its own handle.
  const far = object(77 + 2 ** 40, 1, 6);
  assert.deepEqual(codec.decode(codec.encode(far)), far);
  assert.deepEqual(codec.decode(codec.encode(object(77, 1, 6))), object(77, 1, 6));
});
