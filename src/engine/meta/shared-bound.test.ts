// The one bound that the read caches of all volumes share: what it holds never exceeds it, whatever is put in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedBound } from './shared-bound.ts';

test('entries of many caches stay under one bound, the oldest leaving first', () => {
  const b = new SharedBound<string>(100);
  for (let volume = 1; volume <= 50; volume++) {
    for (let ino = 1; ino <= 10; ino++) b.set(`${volume}:${ino}`, 'rows', 3);
  }
  assert.ok(b.weight <= 100, `held ${b.weight}, bound 100`);
  assert.equal(b.get('50:10'), 'rows', 'the newest entry is kept');
  assert.equal(b.get('1:1'), undefined, 'the oldest entries left');
  b.set('50:10', 'bigger', 40);
  assert.ok(b.weight <= 100, `held ${b.weight} after replacing an entry`);
  b.set('huge', 'x', 101);
  assert.equal(b.get('huge'), undefined, 'an entry above the whole bound is not kept');
  for (let i = 0; i < 1000; i++) b.set(`empty:${i}`, '', 0);
  assert.ok(b.weight <= 100 && b.get('empty:0') === undefined, 'entries said to weigh nothing are bounded too');
});

test('a closing cache takes exactly its own entries out', () => {
  const b = new SharedBound<number>(1000);
  for (const prefix of ['1:', '11:', '2:']) for (let i = 0; i < 5; i++) b.set(prefix + i, i, 10);
  b.deleteStartingWith('1:');
  assert.equal(b.get('1:0'), undefined, "the closing cache's entries are gone");
  assert.equal(b.get('11:0'), 0, "another cache whose prefix starts alike keeps its entries");
  assert.equal(b.weight, 100, 'the weight freed is the closing cache’s');
});
