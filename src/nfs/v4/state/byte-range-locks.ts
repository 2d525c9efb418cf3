// POSIX-style byte-range locks per file: a new lock replaces the owner's own overlapping ranges, and
// conflicts are with other owners' overlapping ranges where either side is a write lock.
import type { LockState } from './model.ts';

/** [start, end) in bytes; end is 2^64 for "to end of file". */
export interface LockRange {
  holder: LockState;
  write: boolean;
  start: bigint;
  end: bigint;
}

export const TO_EOF = 0xffffffffffffffffn;

/** The RFC's (offset, length) as [start, end); undefined when it overflows (NFS4ERR_INVAL). */
export function toRange(offset: bigint, length: bigint): { start: bigint; end: bigint } | undefined {
  if (length === 0n) return undefined;
  if (length === TO_EOF) return { start: offset, end: 1n << 64n };
  const end = offset + length;
  if (end > TO_EOF) return undefined;
  return { start: offset, end };
}

export function lengthOf(r: { start: bigint; end: bigint }): bigint {
  return r.end === 1n << 64n ? TO_EOF : r.end - r.start;
}

export class ByteRangeLocks {
  private readonly byFile = new Map<string, LockRange[]>();

  /** The first range of another owner that conflicts with the request. */
  conflict(fileKey: string, ownerKey: string, write: boolean, start: bigint, end: bigint): LockRange | undefined {
    return (this.byFile.get(fileKey) ?? []).find(
      (r) => r.holder.owner.key !== ownerKey && r.start < end && start < r.end && (write || r.write),
    );
  }

  /** Adds (or converts) the holder's lock on [start, end). */
  lock(holder: LockState, write: boolean, start: bigint, end: bigint): void {
    this.unlock(holder, start, end);
    const list = this.byFile.get(holder.fileKey) ?? [];
    list.push({ holder, write, start, end });
    this.byFile.set(holder.fileKey, list);
  }

  /** Removes [start, end) from the holder's locks, splitting ranges that stick out on either side. */
  unlock(holder: LockState, start: bigint, end: bigint): void {
    const list = this.byFile.get(holder.fileKey);
    if (!list) return;
    const next: LockRange[] = [];
    for (const r of list) {
      if (r.holder.owner.key !== holder.owner.key || r.end <= start || end <= r.start) {
        next.push(r);
        continue;
      }
      if (r.start < start) next.push({ ...r, end: start });
      if (end < r.end) next.push({ ...r, start: end });
    }
    this.setList(holder.fileKey, next);
  }

  /** Drops every range a lock stateid holds (CLOSE, FREE_STATEID, lease expiry). */
  dropHolder(holder: LockState): void {
    const list = this.byFile.get(holder.fileKey);
    if (list) this.setList(holder.fileKey, list.filter((r) => r.holder !== holder));
  }

  holds(holder: LockState): boolean {
    return (this.byFile.get(holder.fileKey) ?? []).some((r) => r.holder === holder);
  }

  private setList(fileKey: string, list: LockRange[]): void {
    if (list.length) this.byFile.set(fileKey, list);
    else this.byFile.delete(fileKey);
  }
}
