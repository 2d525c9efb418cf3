// The crash test's checker: given the file contents before a round (the base) and the round's log, decides
// whether what survived the SIGKILL is legal. A byte must hold the value of the last durable write covering it
// (or the base), or the value of a later write that was issued but not yet acknowledged (it may have been
// flushed before the kill). Anything else — lost committed data, stale bytes, garbage — fails.
import assert from 'node:assert/strict';
import type { CrashRecord } from './crash-log.ts';
import { sha256 } from './crash-log.ts';
import { seededBytes } from './prng.ts';

type WriteRec = Extract<CrashRecord, { t: 'w' }>;

export interface RoundLog {
  writes: WriteRec[];
  durable: (w: WriteRec) => boolean;
}

export function analyseLog(records: CrashRecord[]): RoundLog {
  const writes = records.filter((r): r is WriteRec => r.t === 'w');
  const synced = new Set(records.flatMap((r) => (r.t === 'd' ? [r.i] : [])));
  const commits = records.flatMap((r) => (r.t === 'c' ? [r] : []));
  for (const w of writes) assert.equal(sha256(seededBytes(w.seed, w.len)), w.h, `log: write ${w.i} hash`);
  const durable = (w: WriteRec): boolean =>
    synced.has(w.i) || commits.some((c) => c.upto >= w.i && (c.f === undefined || c.f === w.f));
  return { writes, durable };
}

/** The content of file f when every write <= upto has been applied over the base (a snapshot's content). */
export function contentAt(base: Buffer, log: RoundLog, f: number, upto: number): Buffer {
  let out = Buffer.from(base);
  for (const w of log.writes) {
    if (w.f !== f || w.i > upto) continue;
    if (w.off + w.len > out.length) out = Buffer.concat([out, Buffer.alloc(w.off + w.len - out.length)]);
    seededBytes(w.seed, w.len).copy(out, w.off);
  }
  return out;
}

/** Fails unless `actual` is a content file f may legally have after the kill. */
export function checkSurvivor(base: Buffer, log: RoundLog, f: number, actual: Buffer, label: string): void {
  const mine = log.writes.filter((w) => w.f === f);
  const maxEnd = Math.max(base.length, ...mine.map((w) => w.off + w.len));
  const expected = Buffer.alloc(maxEnd);
  base.copy(expected);
  const lastDurable = new Int32Array(maxEnd).fill(-1);
  let committedSize = base.length;
  for (const w of mine) {
    if (!log.durable(w)) continue;
    seededBytes(w.seed, w.len).copy(expected, w.off);
    lastDurable.fill(w.i, w.off, w.off + w.len);
    committedSize = Math.max(committedSize, w.off + w.len);
  }
  assert.ok(actual.length >= committedSize, `${label}: size ${actual.length} < committed size ${committedSize}`);
  assert.ok(actual.length <= maxEnd, `${label}: size ${actual.length} > largest size ever written ${maxEnd}`);
  const pending = mine.filter((w) => !log.durable(w)).map((w) => ({ w, data: seededBytes(w.seed, w.len) }));
  for (let x = 0; x < actual.length; x++) {
    if (actual[x] === expected[x]) continue;
    const explained = pending.some(({ w, data }) => w.i > lastDurable[x] && x >= w.off && x < w.off + w.len && data[x - w.off] === actual[x]);
    if (!explained) {
      const by = lastDurable[x] >= 0 ? `committed write ${lastDurable[x]}` : 'the base';
      assert.fail(`${label}: byte ${x} is 0x${actual[x].toString(16)}, but ${by} made it 0x${expected[x].toString(16)} ` +
        `and no later write explains it`);
    }
  }
}
