import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFileHandle, encodeFileHandle, type FileHandle } from './filehandle.ts';
import type { InodeNumber } from '../engine/index.ts';

test('file handles round-trip and fit the NFSv3 limit', () => {
  const handles: FileHandle[] = [
    { kind: 'pseudo', node: 0 },
    { kind: 'pseudo', node: 77 },
    { kind: 'object', exportId: 3, ino: 1 as InodeNumber, generation: 0xdeadbeef },
    { kind: 'object', exportId: 0xffffffff, ino: Number.MAX_SAFE_INTEGER as InodeNumber, generation: 0 },
  ];
  for (const fh of handles) {
    const buf = encodeFileHandle(fh);
    assert.ok(buf.length <= 64);
    assert.deepEqual(decodeFileHandle(buf), fh);
  }
});

test('garbage, truncated or foreign handles decode to undefined', () => {
  const good = encodeFileHandle({ kind: 'object', exportId: 1, ino: 5 as InodeNumber, generation: 9 });
  assert.equal(decodeFileHandle(Buffer.alloc(0)), undefined);
  assert.equal(decodeFileHandle(good.subarray(0, good.length - 1)), undefined);
  assert.equal(decodeFileHandle(Buffer.concat([good, Buffer.alloc(4)])), undefined);
  const otherVersion = Buffer.from(good);
  otherVersion[1] = 99;
  assert.equal(decodeFileHandle(otherVersion), undefined);
  const zeroIno = Buffer.from(good);
  zeroIno.fill(0, 8, 16);
  assert.equal(decodeFileHandle(zeroIno), undefined);
  assert.equal(decodeFileHandle(Buffer.alloc(20, 0xff)), undefined);
});
