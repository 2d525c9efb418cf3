// The read side of a volume, shared by the live volume (which overlays its buffered writes) and by
// snapshots (which read a frozen copy of the metadata and the same immutable blocks).
import type { ExtentRow, InodeRow, MetaReader } from './meta/store.ts';
import type { VerifiedBlockReader } from './blocks/verified-cache.ts';
import { releaseBlockView } from './blocks/hash-pool.ts';
import { overlayRuns, type DirtyFile, type DirtyRun } from './dirty-file.ts';
import { allowedAccess, requireAccess, requireIoAccess } from './permissions.ts';
import { checkName } from './names.ts';
import {
  FsError, R_OK, ROOT_INODE, X_OK,
  type Attr, type Caller, type DirEntry, type InodeNumber, type ReadDirResult, type ReadResult, type StatFs, type Usage, type VolumeReader,
} from './types.ts';

export const MAX_READ = 4 * 1024 * 1024;
/** How far past a sequential reader's position blocks are loaded and verified ahead of its requests. */
const READ_AHEAD = 16 * 1024 * 1024;
/** A read this close to where the previous read of the file ended continues a sequential stream. */
const STREAM_SLACK = 1024 * 1024;
/** Files whose read position is remembered (most recently read first out last). */
const MAX_STREAMS = 256;
/** Blocks a sequential reader has moved past that stay cached (for replies that arrive out of order). */
const KEEP_BEHIND = 2;
const TOTAL_FILES = 2 ** 40;
/** Reported capacity of an elastic volume (EFS reports 8 EiB; this is what fits a JS number exactly). */
export const ELASTIC_CAPACITY = 2 ** 53 - 2 ** 20;

export function attrFromRow(r: InodeRow, dirty?: DirtyFile): Attr {
  const a: Attr = {
    ino: r.ino, type: r.type, mode: r.mode, nlink: r.nlink, uid: r.uid, gid: r.gid, size: r.size, used: r.used,
    rdev: { major: r.rdevMajor, minor: r.rdevMinor }, atime: r.atime, mtime: r.mtime, ctime: r.ctime, btime: r.btime,
    change: r.change, generation: r.generation,
  };
  if (dirty) {
    a.size = dirty.size;
    a.used = r.used + dirty.pendingBytes;
    if (dirty.mtime) a.mtime = dirty.mtime;
    if (dirty.ctime) a.ctime = dirty.ctime;
    a.change = r.change + dirty.changes;
  }
  return a;
}

export class VolumeReaderImpl implements VolumeReader {
  /** Blocks are deleted only when no read is in flight, so a read never finds its block gone. */
  protected activeReads = 0;
  /** Per file: where its last read ended, how many reads in a row continued the previous one, how far blocks have
   * been asked for ahead of it, and the blocks it read, oldest first. */
  private readonly streams = new Map<InodeNumber, { next: number; run: number; ahead: number; behind: string[] }>();

  constructor(
    protected readonly meta: MetaReader,
    protected readonly blocks: VerifiedBlockReader,
    protected readonly capacityBytes: number,
  ) {}

  /** Buffered writes of the live volume; snapshots have none. */
  protected dirtyOf(_ino: InodeNumber): DirtyFile | undefined {
    return undefined;
  }

  protected async row(ino: InodeNumber): Promise<InodeRow> {
    const r = await this.meta.getInode(ino);
    if (!r) throw new FsError('ESTALE', `inode ${ino} does not exist`);
    return r;
  }

  protected async dirRow(ino: InodeNumber): Promise<InodeRow> {
    const r = await this.row(ino);
    if (r.type !== 'dir') throw new FsError('ENOTDIR', `inode ${ino} is not a directory`);
    return r;
  }

  async getattr(ino: InodeNumber): Promise<Attr> {
    return attrFromRow(await this.row(ino), this.dirtyOf(ino));
  }

  async lookup(caller: Caller, dir: InodeNumber, name: string): Promise<Attr> {
    const d = await this.dirRow(dir);
    requireAccess(caller, d, X_OK);
    if (name === '.') return this.getattr(dir);
    if (name === '..') return this.getattr(d.parent ?? ROOT_INODE);
    checkName(name);
    const e = await this.meta.getDirent(dir, name);
    if (!e) throw new FsError('ENOENT', name);
    return this.getattr(e.ino);
  }

  async parentOf(dir: InodeNumber): Promise<InodeNumber> {
    return (await this.dirRow(dir)).parent ?? ROOT_INODE;
  }

  async access(caller: Caller, ino: InodeNumber, mask: number): Promise<number> {
    return allowedAccess(caller, await this.row(ino), mask);
  }

  async readlink(ino: InodeNumber): Promise<string> {
    const r = await this.row(ino);
    if (r.type !== 'symlink' || r.target === null) throw new FsError('EINVAL', 'not a symbolic link');
    return r.target;
  }

  async readdir(caller: Caller, dir: InodeNumber, cookie: number, limit: number, opts?: { attrs?: boolean }): Promise<ReadDirResult> {
    const d = await this.dirRow(dir);
    requireAccess(caller, d, R_OK);
    const rows = await this.meta.listDirents(dir, cookie, limit + 1);
    const eof = rows.length <= limit;
    const page = rows.slice(0, limit);
    const inodes = opts?.attrs ? await this.meta.getInodes(page.map((r) => r.ino)) : [];
    const entries = page.map((r, i): DirEntry => {
      const row = inodes[i];
      return { name: r.name, ino: r.ino, type: r.type, cookie: r.cookie, attr: row && attrFromRow(row, this.dirtyOf(r.ino)) };
    });
    return { entries, eof };
  }

  async read(caller: Caller, ino: InodeNumber, offset: number, length: number): Promise<ReadResult> {
    const r = await this.row(ino);
    if (r.type === 'dir') throw new FsError('EISDIR', 'read of a directory');
    if (r.type !== 'file') throw new FsError('EINVAL', 'read of a special file');
    requireIoAccess(caller, r, R_OK);
    if (offset < 0 || length < 0) throw new FsError('EINVAL', 'negative offset or length');
    const dirty = this.dirtyOf(ino);
    const size = dirty ? dirty.size : r.size;
    const end = Math.min(size, offset + Math.min(length, MAX_READ));
    if (end <= offset) return { data: Buffer.alloc(0), eof: true };
    this.activeReads++;
    try {
      // The buffered runs are captured before the store is read, so a flush committing meanwhile loses nothing.
      const captured = dirty?.capture();
      const extents = await this.meta.extentsIn(ino, offset, end);
      // A read that reaches the end (a small file read whole) leaves nothing to read ahead, nor a stream to follow.
      if (end < size) this.readAhead(ino, offset, end, size, extents);
      const data = await this.assemble(offset, end, extents, captured);
      return { data, eof: end >= size };
    } finally {
      this.activeReads--;
      this.afterRead();
    }
  }

  /**
   * The bytes of [offset, end): a view of one immutable source when one extent covers it all (a block's under a lease
   * of its own: the caller may release it, see blocks/hash-pool.ts), else a copy.
   */
  private async assemble(offset: number, end: number, extents: ExtentRow[], captured?: DirtyRun[][]): Promise<Buffer> {
    const only = extents.length === 1 ? extents[0] : undefined;
    if (only && only.pos <= offset && only.pos + only.len >= end && !overlaps(captured, offset, end)) {
      const src = only.data ?? (await this.blockData(only.blockId as string));
      const at = (only.data ? 0 : only.blockOff) + (offset - only.pos);
      return src.subarray(at, at + (end - offset));
    }
    const out = Buffer.allocUnsafe(end - offset);
    zeroGaps(out, offset, end, extents);
    await Promise.all(extents.map(async (e) => {
      const from = Math.max(e.pos, offset);
      const to = Math.min(e.pos + e.len, end);
      const src = e.data ?? (await this.blockData(e.blockId as string));
      const srcOff = e.data ? from - e.pos : e.blockOff + (from - e.pos);
      src.copy(out, from - offset, srcOff, srcOff + (to - from));
      if (!e.data) releaseBlockView(src);
    }));
    if (captured) overlayRuns(captured, offset, out);
    return out;
  }

  protected afterRead(): void {}

  /**
   * Sequential readers find the next blocks already read and verified: while the client consumes one block, the
   * next ones are read and hashed off the event loop. Random reads (a read far from where the last ended, or
   * short reads until a few follow each other) start nothing, so they never cost whole extra blocks.
   * Blocks a sequential reader has left behind leave the cache (drop-behind): a stream does not push out what
   * random readers reuse, and its block buffers go back to the read pool sooner (see blocks/hash-pool.ts).
   */
  private readAhead(ino: InodeNumber, offset: number, end: number, size: number, extents: readonly ExtentRow[]): void {
    let s = this.streams.get(ino);
    if (s) this.streams.delete(ino);
    const continues = s !== undefined && offset >= s.next - STREAM_SLACK && offset <= s.next + STREAM_SLACK;
    if (!s || !continues) s = { next: end, run: 0, ahead: end, behind: [] };
    else {
      s.run++;
      s.next = Math.max(s.next, end);
    }
    this.streams.set(ino, s);
    if (this.streams.size > MAX_STREAMS) this.streams.delete(this.streams.keys().next().value as InodeNumber);
    if (s.run === 0 || (s.run < 3 && end - offset < 64 * 1024)) return;
    for (const e of extents) {
      if (e.blockId === null || s.behind.includes(e.blockId)) continue;
      s.behind.push(e.blockId);
      if (s.behind.length > KEEP_BEHIND + 1) this.blocks.forget(s.behind.shift() as string);
    }
    const from = Math.max(s.ahead, end);
    const to = Math.min(size, s.next + READ_AHEAD);
    if (to - from < READ_AHEAD / 4) return;
    s.ahead = to;
    void this.prefetch(ino, from, to).catch(() => undefined);
  }

  private async prefetch(ino: InodeNumber, from: number, to: number): Promise<void> {
    const seen = new Set<string>();
    for (const e of await this.meta.extentsIn(ino, from, to)) {
      if (e.blockId === null || seen.has(e.blockId)) continue;
      seen.add(e.blockId);
      const b = await this.meta.getBlock(e.blockId);
      if (b) this.blocks.prefetch(b);
    }
  }

  protected async blockData(id: string): Promise<Buffer> {
    // A cached block needs no length and hash from the store: ids are never reused.
    const hit = this.blocks.cached(id);
    if (hit) return hit;
    const b = await this.meta.getBlock(id);
    if (!b) throw new FsError('EIO', `block ${id} is not recorded`);
    return this.blocks.get(b);
  }

  async getxattr(caller: Caller, ino: InodeNumber, name: string): Promise<Buffer> {
    requireAccess(caller, await this.row(ino), R_OK);
    const v = await this.meta.getXattr(ino, name);
    if (!v) throw new FsError('ENODATA', `no attribute ${name}`);
    return v;
  }

  async listxattr(caller: Caller, ino: InodeNumber): Promise<string[]> {
    requireAccess(caller, await this.row(ino), R_OK);
    return this.meta.listXattrs(ino);
  }

  async seek(ino: InodeNumber, offset: number, what: 'data' | 'hole'): Promise<number> {
    const r = await this.row(ino);
    if (r.type !== 'file') throw new FsError('EINVAL', 'seek in a non-file');
    const dirty = this.dirtyOf(ino);
    const size = dirty ? dirty.size : r.size;
    if (offset >= size) throw new FsError('ENXIO', 'offset beyond end of file');
    const ranges = (await this.meta.extentsIn(ino, offset, size)).map((e) => [e.pos, e.pos + e.len] as const);
    if (dirty) {
      for (const runs of [...dirty.inflight, dirty.pending]) {
        for (const d of runs) if (d.pos + d.data.length > offset && d.pos < size) ranges.push([d.pos, d.pos + d.data.length]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    let pos = offset;
    for (const [s, e] of ranges) {
      if (e <= pos) continue;
      if (what === 'data') return Math.max(s, pos);
      if (s > pos) return pos;
      pos = e;
    }
    if (what === 'data') throw new FsError('ENXIO', 'no data after offset');
    return Math.min(pos, size);
  }

  async statfs(): Promise<StatFs> {
    const u = await this.usage();
    const free = Math.max(0, this.capacityBytes - u.meteredBytes);
    const freeFiles = TOTAL_FILES - u.inodes;
    return { totalBytes: this.capacityBytes, freeBytes: free, availBytes: free, totalFiles: TOTAL_FILES, freeFiles, availFiles: freeFiles };
  }

  async usage(): Promise<Usage> {
    const [inodes, logical, metered] = await Promise.all([
      this.meta.getCounter('inodes'), this.meta.getCounter('logical'), this.meta.getCounter('metered'),
    ]);
    return { logicalBytes: logical, inodes, meteredBytes: metered, byClass: { standard: metered, infrequentAccess: 0, archive: 0 } };
  }
}

/** Holes read as zeros: fills what no extent covers (the buffer is allocated uninitialised). */
function zeroGaps(out: Buffer, offset: number, end: number, extents: ReadonlyArray<{ pos: number; len: number }>): void {
  let pos = offset;
  for (const e of extents) {
    if (e.pos > pos) out.fill(0, pos - offset, Math.min(e.pos, end) - offset);
    pos = Math.max(pos, e.pos + e.len);
  }
  if (pos < end) out.fill(0, pos - offset, end - offset);
}

function overlaps(captured: DirtyRun[][] | undefined, start: number, end: number): boolean {
  return captured?.some((runs) => runs.some((r) => r.pos < end && r.pos + r.data.length > start)) ?? false;
}
