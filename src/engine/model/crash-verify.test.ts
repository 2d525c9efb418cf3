// The crash checker must reject lost or stale committed bytes and accept every legal survivor; a lax checker
// would make the crash test pass on a broken engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256, type CrashRecord } from './crash-log.ts';
import { analyseLog, checkSurvivor, contentAt } from './crash-verify.ts';
import { seededBytes } from './prng.ts';

const w = (i: number, off: number, len: number, seed: number): CrashRecord =>
  ({ t: 'w', i, f: 0, off, len, seed, h: sha256(seededBytes(seed, len)) });

const base = Buffer.from('base-content');
const records: CrashRecord[] = [w(0, 0, 8, 1), { t: 'c', upto: 0 }, w(1, 4, 16, 2), w(2, 30, 4, 3), { t: 'd', i: 2 }];
const log = analyseLog(records);
const committed = contentAt(base, { writes: log.writes.filter((x) => x.i !== 1), durable: log.durable }, 0, 2);

test('a survivor holding exactly the committed writes passes', () => {
  checkSurvivor(base, log, 0, committed, 'committed only');
});

test('an unacknowledged write that reached disk is legal', () => {
  checkSurvivor(base, log, 0, contentAt(base, log, 0, 2), 'all writes');
});

test('a lost committed write is caught', () => {
  assert.throws(() => checkSurvivor(base, log, 0, Buffer.concat([base, Buffer.alloc(22)]), 'lost'), /byte 0 /);
});

test('a lost FILE_SYNC write (shorter file) is caught', () => {
  assert.throws(() => checkSurvivor(base, log, 0, committed.subarray(0, 30), 'short'), /committed size/);
});

test('garbage in a committed range is caught', () => {
  const bad = Buffer.from(committed);
  bad[31] ^= 0xff;
  assert.throws(() => checkSurvivor(base, log, 0, bad, 'garbage'), /byte 31 /);
});

test('a write is durable only through a commit that covers it', () => {
  assert.equal(log.durable(log.writes[0]), true);
  assert.equal(log.durable(log.writes[1]), false);
  assert.equal(log.durable(log.writes[2]), true);
  const other = analyseLog([w(0, 0, 1, 1), { t: 'c', upto: 5, f: 1 }]);
  assert.equal(other.durable(other.writes[0]), false, 'a commit of another file does not cover it');
});
