// Replacing a byte range of a file's extent map inside a transaction, with exact block reference counts.
// Extents never overlap: a new run trims or splits the extents it covers (metadata only; blocks are immutable).
import type { ExtentRow, MetaWriter } from './meta/store.ts';
import type { InodeNumber } from './types.ts';

export interface RangeChange {
  /** Change in stored bytes (the inode's `used`). */
  usedDelta: number;
  /** Blocks whose last live reference went away. */
  unreferenced: string[];
}

/** The parts of `e` outside [start, end). */
export function remaindersOutside(e: ExtentRow, start: number, end: number): ExtentRow[] {
  const out: ExtentRow[] = [];
  const eEnd = e.pos + e.len;
  if (e.pos < start) out.push(sliceExtent(e, e.pos, start));
  if (eEnd > end) out.push(sliceExtent(e, end, eEnd));
  return out;
}

export function sliceExtent(e: ExtentRow, from: number, to: number): ExtentRow {
  const skip = from - e.pos;
  return {
    ino: e.ino, pos: from, len: to - from, blockId: e.blockId, blockOff: e.blockOff + (e.blockId ? skip : 0),
    data: e.data ? Buffer.from(e.data.subarray(skip, skip + to - from)) : null,
  };
}

/** Removes [start, end) from the extent map of ino, then inserts `added` (which must lie inside it). */
export async function replaceRange(
  tx: MetaWriter, ino: InodeNumber, start: number, end: number, added: readonly ExtentRow[],
): Promise<RangeChange> {
  const refDelta = new Map<string, number>();
  const bump = (id: string | null, d: number) => {
    if (id) refDelta.set(id, (refDelta.get(id) ?? 0) + d);
  };
  let usedDelta = 0;
  // A row whose position is taken again (the left part of a split, a run rewritten where it was) is updated, not
  // deleted and inserted: its index entry stays, and SQLite writes inline bytes of the same length over the old ones
  // instead of freeing and allocating pages. A 4 KiB FILE_SYNC rewrite of an inline run logs ~2 pages instead of ~7.
  const gone = new Set<number>();
  const put: ExtentRow[] = [];
  for (const e of await tx.extentsIn(ino, start, end)) {
    gone.add(e.pos);
    bump(e.blockId, -1);
    usedDelta -= e.len;
    put.push(...remaindersOutside(e, start, end));
  }
  put.push(...added);
  for (const e of put) {
    bump(e.blockId, +1);
    usedDelta += e.len;
  }
  const kept = new Set(put.map((e) => e.pos));
  for (const pos of gone) if (!kept.has(pos)) await tx.deleteExtent(ino, pos);
  for (const e of put) {
    if (gone.has(e.pos)) await tx.updateExtent(e);
    else await tx.insertExtent(e);
  }
  const unreferenced: string[] = [];
  for (const [id, d] of refDelta) {
    if (d === 0) continue;
    const b = await tx.getBlock(id);
    if (!b) continue;
    b.refs += d;
    if (b.refs <= 0) unreferenced.push(id);
    await tx.updateBlock(b);
  }
  return { usedDelta, unreferenced };
}
