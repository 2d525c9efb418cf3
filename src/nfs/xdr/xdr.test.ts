import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XdrReader } from './reader.ts';
import { XdrWriter } from './writer.ts';
import { XdrError } from './errors.ts';

test('every XDR type round-trips, with 4-byte padding', () => {
  const w = new XdrWriter(16);
  w.u32(0xffffffff);
  w.i32(-5);
  w.u64(2n ** 64n - 1n);
  w.u64(2 ** 53 - 1);
  w.i64(-3n);
  w.bool(true);
  w.opaque(Buffer.from('abcde'));
  w.fixedOpaque(Buffer.from('xyz'));
  w.string('héllo');
  const pos = w.reserveU32();
  w.u32(7);
  w.patchU32(pos, 42);
  const buf = w.finish();
  assert.equal(buf.length % 4, 0);
  const r = new XdrReader(buf);
  assert.equal(r.u32(), 0xffffffff);
  assert.equal(r.i32(), -5);
  assert.equal(r.u64(), 2n ** 64n - 1n);
  assert.equal(r.u64n(), 2 ** 53 - 1);
  assert.equal(r.i64(), -3n);
  assert.equal(r.bool(), true);
  assert.equal(r.opaque().toString(), 'abcde');
  assert.equal(r.fixedOpaque(3).toString(), 'xyz');
  assert.equal(r.string(), 'héllo');
  assert.equal(r.u32(), 42);
  assert.equal(r.u32(), 7);
  assert.equal(r.remaining, 0);
});

test('opaque data is a zero-copy view of the input', () => {
  const w = new XdrWriter();
  w.opaque(Buffer.from('data'));
  const buf = Buffer.from(w.finish());
  const view = new XdrReader(buf).opaque();
  buf[4] = 'D'.charCodeAt(0);
  assert.equal(view.toString(), 'Data');
});

test('reads past the end, over limits, bad booleans and unsafe hypers throw XdrError', () => {
  assert.throws(() => new XdrReader(Buffer.alloc(3)).u32(), XdrError);
  const w = new XdrWriter();
  w.u32(100);
  assert.throws(() => new XdrReader(w.finish()).opaque(), XdrError);
  const s = new XdrWriter();
  s.string('toolong');
  assert.throws(() => new XdrReader(s.finish()).string(3), XdrError);
  const b = new XdrWriter();
  b.u32(2);
  assert.throws(() => new XdrReader(b.finish()).bool(), XdrError);
  const h = new XdrWriter();
  h.u64(2n ** 53n);
  assert.throws(() => new XdrReader(h.finish()).u64n(), XdrError);
  const huge = new XdrWriter();
  huge.u32(0xffffffff);
  assert.throws(() => new XdrReader(huge.finish()).opaque(), XdrError);
});

test('the writer grows from a tiny buffer to megabytes', () => {
  const w = new XdrWriter(1);
  const big = Buffer.alloc(3 * 1024 * 1024 + 1, 7);
  w.u32(1);
  w.opaque(big);
  const r = new XdrReader(w.finish());
  assert.equal(r.u32(), 1);
  assert.deepEqual(r.opaque(), big);
});

test('opaqueRef encodes exactly like opaque, referencing the data instead of copying it', () => {
  for (const len of [0, 1, 2, 3, 4, 5, 4096, 4099]) {
    const data = Buffer.alloc(len, 0x5a);
    const copied = new XdrWriter(8);
    copied.u32(1);
    copied.opaque(data);
    copied.u32(2);
    const referenced = new XdrWriter(8);
    referenced.u32(1);
    referenced.opaqueRef(data);
    referenced.u32(2);
    const parts = referenced.finishSegments();
    assert.deepEqual(Buffer.concat(parts), copied.finish(), `length ${len}`);
    assert.deepEqual(referenced.finish(), copied.finish(), `finish() of length ${len}`);
    if (len > 0) assert.ok(parts.includes(data), 'the data buffer itself is one of the parts');
  }
  const w = new XdrWriter();
  const at = w.reserveU32();
  w.opaqueRef(Buffer.from('abc'));
  assert.throws(() => w.patchU32(at, 1), RangeError, 'bytes before a reference are final');
});

test('segmented input decodes exactly like one buffer, wherever the segments are cut', () => {
  const w = new XdrWriter(64);
  w.u32(7);
  w.u64(2 ** 40 + 3);
  w.string('name');
  w.opaque(Buffer.from('0123456789abcdefghij'));
  w.u32(99);
  const whole = w.finish();
  for (let a = 0; a <= whole.length; a++) {
    for (let b = a; b <= whole.length; b++) {
      const r = new XdrReader([whole.subarray(0, a), whole.subarray(a, b), whole.subarray(b)]);
      assert.equal(r.remaining, whole.length, `cut ${a}/${b}`);
      assert.equal(r.u32(), 7, `cut ${a}/${b}`);
      assert.equal(r.u64n(), 2 ** 40 + 3, `cut ${a}/${b}`);
      assert.deepEqual(r.peek(8), whole.subarray(12, 20), `peek at cut ${a}/${b}`);
      assert.equal(r.string(), 'name', `cut ${a}/${b}`);
      assert.equal(Buffer.concat(r.opaqueParts()).toString(), '0123456789abcdefghij', `cut ${a}/${b}`);
      assert.equal(r.u32(), 99, `cut ${a}/${b}`);
      assert.equal(r.remaining, 0, `cut ${a}/${b}`);
    }
  }
});

test('opaqueParts are views of the segments, without the padding, and refuse what is not there', () => {
  const w = new XdrWriter(16);
  w.opaque(Buffer.alloc(10, 0xab));
  w.u32(5);
  const whole = w.finish();
  const first = whole.subarray(0, 9);
  const r = new XdrReader([first, whole.subarray(9)]);
  const parts = r.opaqueParts();
  assert.equal(parts.length, 2, 'one view per segment');
  assert.equal(parts[0].buffer, whole.buffer, 'a view, not a copy');
  assert.deepEqual(Buffer.concat(parts), Buffer.alloc(10, 0xab));
  assert.equal(r.u32(), 5, 'the padding was skipped');
  assert.throws(() => new XdrReader([whole.subarray(0, 8), whole.subarray(8, 12)]).opaqueParts(), XdrError);
  assert.throws(() => new XdrReader(whole).opaqueParts(4), XdrError);
});

test('strings and small opaques encode byte-exactly: length, bytes, zero padding (whatever the buffer held)', () => {
  const strings = ['', 'a', 'ab', 'abc', 'abcd', 'é', 'aé', 'file-000123', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(65),
    `${'a'.repeat(62)}é`, 'naïve', '日本語', '😀', 'a\u007fb'];
  const opaques = [0, 1, 3, 4, 5, 28, 63, 64, 65, 70].map((n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 1) & 0xff)));
  const w = new XdrWriter(64 * 1024);
  (w as unknown as { buf: Buffer }).buf.fill(0xff); // stale bytes where padding goes
  const expected: Buffer[] = [];
  const item = (bytes: Buffer, withLength: boolean) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    expected.push(...(withLength ? [len] : []), bytes, Buffer.alloc((4 - (bytes.length & 3)) & 3));
  };
  for (const s of strings) {
    w.string(s);
    item(Buffer.from(s, 'utf8'), true);
  }
  for (const o of opaques) {
    w.opaque(o);
    item(o, true);
    w.fixedOpaque(o);
    item(o, false);
  }
  assert.ok(w.finish().equals(Buffer.concat(expected)), 'the encoding differs from length + bytes + zero padding');
  const r = new XdrReader(w.finish());
  for (const s of strings) assert.equal(r.string(), s);
});

test('signed hypers from numbers are two’s complement like BigInt’s; rewind drops what did not fit', () => {
  const values = [0, 1, -1, -3, 2 ** 32, -(2 ** 32), 2 ** 32 + 5, -(2 ** 32) - 5, 1_700_000_000, -1_700_000_000,
    Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
  const w = new XdrWriter(16);
  const expected = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => {
    w.i64(v);
    expected.writeBigInt64BE(BigInt(v), 8 * i);
  });
  const mark = w.length;
  w.string('does not fit');
  w.rewind(mark);
  assert.ok(w.finish().equals(expected), 'the encoding differs from writeBigInt64BE');
  const r = new XdrReader(w.finish());
  for (const v of values) assert.equal(r.i64(), BigInt(v));
});
