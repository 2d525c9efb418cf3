// Buffered (unstable) writes of one file: sorted, non-overlapping runs not yet in the metadata store.
// Runs being flushed move to `inflight` and stay readable until their transaction commits.
import type { Timespec } from './types.ts';

export interface DirtyRun {
  pos: number;
  data: Buffer;
}

export class DirtyFile {
  pending: DirtyRun[] = [];
  pendingBytes = 0;
  readonly inflight = new Set<DirtyRun[]>();
  /** Attribute changes not yet persisted. */
  size: number;
  /** The size the metadata store holds, for usage that counts buffered growth. */
  persistedSize: number;
  mtime?: Timespec;
  ctime?: Timespec;
  changes = 0;
  firstDirtyAt = 0;

  constructor(size: number) {
    this.size = size;
    this.persistedSize = size;
  }

  get isClean(): boolean {
    return this.pending.length === 0 && this.inflight.size === 0 && this.changes === 0;
  }

  /** Adds a run (the caller passes a private copy); returns the net growth of buffered bytes. */
  put(pos: number, data: Buffer): number {
    const end = pos + data.length;
    const kept: DirtyRun[] = [];
    let removed = 0;
    let insertAt = -1;
    for (const r of this.pending) {
      const rEnd = r.pos + r.data.length;
      if (rEnd <= pos || r.pos >= end) {
        if (r.pos >= end && insertAt < 0) insertAt = kept.length;
        kept.push(r);
        continue;
      }
      if (r.pos < pos) kept.push({ pos: r.pos, data: r.data.subarray(0, pos - r.pos) });
      if (insertAt < 0) insertAt = kept.length;
      if (rEnd > end) kept.push({ pos: end, data: r.data.subarray(end - r.pos) });
      removed += Math.min(rEnd, end) - Math.max(r.pos, pos);
    }
    if (insertAt < 0) insertAt = kept.length;
    kept.splice(insertAt, 0, { pos, data });
    this.pending = kept;
    this.pendingBytes += data.length - removed;
    return data.length - removed;
  }

  /** Fast path for appends, the common case of sequential writers. */
  append(pos: number, data: Buffer): number | undefined {
    const last = this.pending[this.pending.length - 1];
    if (last && pos < last.pos + last.data.length) return undefined;
    this.pending.push({ pos, data });
    this.pendingBytes += data.length;
    return data.length;
  }

  /** Drops buffered data at or beyond `size` (truncate). Returns the bytes released. */
  truncate(size: number): number {
    let released = 0;
    const kept: DirtyRun[] = [];
    for (const r of this.pending) {
      if (r.pos >= size) released += r.data.length;
      else if (r.pos + r.data.length > size) {
        released += r.pos + r.data.length - size;
        kept.push({ pos: r.pos, data: r.data.subarray(0, size - r.pos) });
      } else kept.push(r);
    }
    this.pending = kept;
    this.pendingBytes -= released;
    return released;
  }

  /**
   * Moves all pending runs to inflight (still readable) and returns them cut into contiguous pieces of at most
   * maxPiece bytes. Pieces reference the buffered data; nothing is copied.
   */
  takePending(maxPiece: number): { runs: DirtyRun[]; pieces: FlushPiece[] } {
    const runs = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.inflight.add(runs);
    return { runs, pieces: cutPieces(runs, maxPiece) };
  }

  /** The buffered runs as of now, oldest first: a reader captures them before it reads the store. */
  capture(): DirtyRun[][] {
    return [...this.inflight, this.pending.slice()];
  }
}

/** Copies captured runs overlapping [start, start + target.length) over target, later runs winning. */
export function overlayRuns(captured: readonly DirtyRun[][], start: number, target: Buffer): void {
  for (const runs of captured) copyRuns(runs, start, target);
}

function copyRuns(runs: readonly DirtyRun[], start: number, target: Buffer): void {
  const end = start + target.length;
  for (const r of runs) {
    const rEnd = r.pos + r.data.length;
    if (rEnd <= start || r.pos >= end) continue;
    const from = Math.max(start, r.pos);
    const to = Math.min(end, rEnd);
    r.data.copy(target, from - start, from - r.pos, to - r.pos);
  }
}

/** A contiguous byte range to persist, as the list of buffers that hold it. */
export interface FlushPiece {
  pos: number;
  len: number;
  parts: Buffer[];
}

export function cutPieces(runs: readonly DirtyRun[], maxPiece: number): FlushPiece[] {
  const out: FlushPiece[] = [];
  let cur: FlushPiece | undefined;
  for (const r of runs) {
    let pos = r.pos;
    let data = r.data;
    while (data.length > 0) {
      if (!cur || cur.pos + cur.len !== pos || cur.len >= maxPiece) {
        cur = { pos, len: 0, parts: [] };
        out.push(cur);
      }
      const take = Math.min(data.length, maxPiece - cur.len);
      cur.parts.push(data.subarray(0, take));
      cur.len += take;
      pos += take;
      data = data.subarray(take);
    }
  }
  return out;
}
