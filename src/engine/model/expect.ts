// Runs one engine call and checks it against the model's expected outcome (value, or one of the allowed errors).
import assert from 'node:assert/strict';
import { isFsError, type Stability } from '../types.ts';
import type { Outcome } from './fs-model.ts';

/** How often each call ended in success or in each error code: shows the generator reaches the edge cases. */
export const outcomeTally = new Map<string, number>();
const count = (key: string): void => { outcomeTally.set(key, (outcomeTally.get(key) ?? 0) + 1); };

/** The engine's result when the model expected success; undefined when the expected error occurred. */
export async function expectOutcome<T>(expected: Outcome<unknown>, call: () => Promise<T>, what: string): Promise<{ value: T } | undefined> {
  let value: T;
  try {
    value = await call();
  } catch (e) {
    if (!isFsError(e)) throw e;
    count(`${what} ${e.code}`);
    if (expected.ok) assert.fail(`${what}: expected success, got ${e.code} (${e.message})`);
    assert.ok(expected.codes.includes(e.code), `${what}: expected ${expected.codes.join('|')}, got ${e.code}`);
    return undefined;
  }
  if (!expected.ok) assert.fail(`${what}: expected ${expected.codes.join('|')}, but it succeeded`);
  count(`${what} ok`);
  return { value };
}

/** For calls that must fail: any of `codes`, and never a non-FsError crash. */
export async function expectError(codes: Outcome<never>, call: () => Promise<unknown>, what: string): Promise<void> {
  await expectOutcome(codes, call, what);
}

const STRENGTH: Record<Stability, number> = { unstable: 0, data_sync: 1, file_sync: 2 };
/** A write may be committed more strongly than asked (NFS), never less. */
export function atLeast(got: Stability, asked: Stability): boolean {
  return STRENGTH[got] >= STRENGTH[asked];
}
