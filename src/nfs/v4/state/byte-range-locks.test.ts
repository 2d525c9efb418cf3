// POSIX byte-range lock semantics: splitting on partial unlock, conversion by the same owner, conflicts only
// with other owners and only when a write lock is involved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteRangeLocks, toRange, TO_EOF } from './byte-range-locks.ts';
import type { LockState } from './model.ts';

function holder(ownerKey: string): LockState {
  return { kind: 'lock', fileKey: '1:2', owner: { key: ownerKey } } as unknown as LockState;
}

describe('ByteRangeLocks', () => {
  it('keeps the parts of a range outside an unlock', () => {
    const t = new ByteRangeLocks();
    const a = holder('a');
    t.lock(a, true, 0n, 100n);
    t.unlock(a, 40n, 60n);
    assert.ok(t.conflict('1:2', 'b', false, 10n, 11n), 'head still locked');
    assert.equal(t.conflict('1:2', 'b', true, 40n, 60n), undefined, 'middle unlocked');
    assert.ok(t.conflict('1:2', 'b', false, 90n, 91n), 'tail still locked');
  });

  it('lets read locks share and converts the same owner\'s lock in place', () => {
    const t = new ByteRangeLocks();
    const a = holder('a');
    t.lock(a, false, 0n, 10n);
    assert.equal(t.conflict('1:2', 'b', false, 0n, 10n), undefined, 'read/read shares');
    assert.ok(t.conflict('1:2', 'b', true, 5n, 6n), 'write conflicts with read');
    assert.equal(t.conflict('1:2', 'a', true, 0n, 10n), undefined, 'own locks never conflict');
    t.lock(a, true, 0n, 10n);
    assert.equal(t.conflict('1:2', 'b', false, 0n, 10n)?.write, true);
    t.dropHolder(a);
    assert.equal(t.holds(a), false);
  });

  it('treats an all-ones length as "to end of file" and rejects overflow and zero length', () => {
    assert.deepEqual(toRange(5n, TO_EOF), { start: 5n, end: 1n << 64n });
    assert.equal(toRange(TO_EOF, 2n), undefined);
    assert.equal(toRange(0n, 0n), undefined);
  });
});
