// The model's file contents: holes read as zeros, truncate-down forgets data, clones do not share writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SparseData } from './sparse-data.ts';

test('writes across pages, holes and truncation behave like a POSIX file', () => {
  const d = new SparseData();
  d.write(65_530, Buffer.from('0123456789'));
  assert.equal(d.size, 65_540);
  assert.deepEqual(d.read(0, 4), Buffer.alloc(4));
  assert.equal(d.read(65_530, 100).toString(), '0123456789');
  d.truncate(65_533);
  d.truncate(65_540);
  assert.deepEqual(d.read(65_530, 10), Buffer.from([0x30, 0x31, 0x32, 0, 0, 0, 0, 0, 0, 0]));
  assert.equal(d.read(70_000, 10).length, 0);
});

test('a clone keeps its content when the original changes', () => {
  const d = new SparseData();
  d.write(0, Buffer.from('before'));
  const snap = d.clone();
  d.write(0, Buffer.from('AFTER!'));
  d.truncate(2);
  assert.equal(snap.read(0, 6).toString(), 'before');
  assert.equal(d.read(0, 6).toString(), 'AF');
});
