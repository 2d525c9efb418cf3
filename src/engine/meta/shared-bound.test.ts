// The one bound that the read caches of all volumes share: what it holds never exceeds it, whatever is put in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedBound } from './shared-bound.ts';

test('entries of many caches stay under one bound, the oldest leaving first', () => {
  const b = new SharedBound<string>(100);
  const volumes = Array.from({ length: 50 }, () => b.part<number>());
  for (const v of volumes) for (let ino = 1; ino <= 10; ino++) v.set(ino, 'rows', 3);
  assert.ok(b.weight <= 100, `held ${b.weight}, bound 100`);
  assert.equal(volumes[49].get(10), 'rows', 'the newest entry is kept');
  assert.equal(volumes[0].get(1), undefined, 'the oldest entries left');
  volumes[49].set(10, 'bigger', 40);
  assert.ok(b.weight <= 100, `held ${b.weight} after replacing an entry`);
  assert.equal(volumes[49].get(10), 'bigger');
  volumes[49].set(11, 'x', 101);
  assert.equal(volumes[49].get(11), undefined, 'an entry above the whole bound is not kept');
  const empties = b.part<string>();
  for (let i = 0; i < 1000; i++) empties.set(`e${i}`, '', 0);
  assert.ok(b.weight <= 100 && empties.get('e0') === undefined, 'entries said to weigh nothing are bounded too');
  assert.equal(volumes[49].get(10), undefined, 'and they pushed out what was older');
});

test('a closing cache takes exactly its own entries out; the same keys in two caches are two entries', () => {
  const b = new SharedBound<number>(1000);
  const [one, eleven, two] = [b.part<number>(), b.part<number>(), b.part<number>()];
  for (const part of [one, eleven, two]) for (let i = 0; i < 5; i++) part.set(i, i, 10);
  one.set(0, 100, 10);
  assert.equal(eleven.get(0), 0, "a cache's entry under the same key as another's is its own");
  one.clear();
  assert.equal(one.get(0), undefined, "the closing cache's entries are gone");
  assert.equal(eleven.get(0), 0, 'the other caches keep theirs');
  assert.equal(b.weight, 100, 'the weight freed is the closing cache’s');
  for (let i = 0; i < 100; i++) two.set(100 + i, i, 10);
  assert.equal(eleven.get(4), undefined, 'later entries pushed out the oldest of another cache');
  assert.ok(b.weight <= 1000);
});

test('every value that leaves a cache is told once: replaced, deleted, evicted or cleared; setting the same value again is no leave', () => {
  const b = new SharedBound<string>(30);
  const left: string[] = [];
  const part = b.part<number>((v) => left.push(v));
  part.set(1, 'a', 10);
  part.set(1, 'a', 10);
  assert.deepEqual(left, [], 'the same value set again stays');
  part.set(1, 'b', 10);
  part.set(2, 'c', 10);
  part.set(3, 'd', 10);
  part.set(1, 'b', 10); // 'b' is now the newest, so 'c' is the oldest
  part.set(4, 'e', 10);
  part.delete(3);
  part.clear();
  assert.deepEqual(left, ['a', 'c', 'd', 'b', 'e']);
});
