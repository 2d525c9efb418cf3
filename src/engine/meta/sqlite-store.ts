// The embedded MetaStore: one SQLite database (WAL) per volume. A write connection runs the serialized
// transactions; a second connection serves reads of committed state without waiting for writers.
import Database from 'better-sqlite3';
import { existsSync, fdatasyncSync, renameSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { FsError, type FileType, type InodeNumber } from '../types.ts';
import { AsyncMutex } from '../mutex.ts';
import { SharedBound } from './shared-bound.ts';
import { Checkpointer } from './checkpointer.ts';
import { ADDED_COLUMNS, SCHEMA, SCHEMA_VERSION } from './schema.ts';
import type {
  BlockRow, CounterName, DirentRow, ExtentRow, InodeRow, MetaReader, MetaStore, MetaWriter, SnapshotRow,
} from './store.ts';

type Row = Record<string, unknown>;
type Db = Database.Database;
const SCAN_PAGE = 2000;
/** Directories up to this many entries are listed from memory once read (see ReadCache). */
const MAX_LISTING = 10_000;
/** Entries of all cached listings of the process together (~100 bytes each). */
const MAX_LISTED = 100_000;
/**
 * Files with at most this many extents have their whole extent map cached (most files: one extent per 4 MiB block,
 * so up to 4 GiB unfragmented).
 */
const FEW_EXTENTS = 1024;
/** Bound on the memory of the process's cached extent maps: their inline bytes plus ~EXTENT_ROW_BYTES per row. */
const MAX_CACHED_EXTENT_BYTES = 32 * 1024 * 1024;
const EXTENT_ROW_BYTES = 100;
/** Marks a file known to have more than FEW_EXTENTS extents: its reads query ranges. */
const MANY = Symbol('many extents');
type ExtentMap = readonly ExtentRow[] | typeof MANY;
/**
 * Commits between two checkpoints on the checkpoint thread (~10 MiB of log): each checkpoint costs two fsyncs that
 * compete with the commit points' for the disk, and pages written by many transactions are copied once.
 */
const CHECKPOINT_EVERY = 500;
/** SQLite's own checkpoint (on the event loop) only as a backstop if the thread falls far behind: 40 MiB of log. */
const BACKSTOP_CHECKPOINT_PAGES = 10_000;
/**
 * The log is written with zeros up to about the size it settles at (CHECKPOINT_EVERY small commits) once a volume
 * makes its FILL_LOG_AFTER_COMMITS-th commit since it opened: SQLite deletes the log at close, and while it grows
 * every fdatasync also commits the file system's journal (new blocks, new size). A FILE_SYNC 4 KiB write averaged
 * 551–600 µs on a fresh log, 460–475 µs on a filled one. Volumes little or not written to (created, mounted, read)
 * never pay the 16 MiB. Zeros are no valid frame, so they are never replayed.
 */
const LOG_PREALLOCATED_BYTES = 16 * 1024 * 1024;
const FILL_LOG_AFTER_COMMITS = 100;

function inodeFromRow(r: Row): InodeRow {
  return {
    ino: r.ino as InodeNumber, type: r.type as FileType, mode: r.mode as number, uid: r.uid as number,
    gid: r.gid as number, nlink: r.nlink as number, size: r.size as number, used: r.used as number,
    rdevMajor: r.rdev_major as number, rdevMinor: r.rdev_minor as number,
    atime: { sec: r.atime_s as number, nsec: r.atime_ns as number },
    mtime: { sec: r.mtime_s as number, nsec: r.mtime_ns as number },
    ctime: { sec: r.ctime_s as number, nsec: r.ctime_ns as number },
    btime: { sec: r.btime_s as number, nsec: r.btime_ns as number },
    change: r.change as number, generation: r.generation as number,
    parent: (r.parent as InodeNumber | null) ?? null, target: (r.target as string | null) ?? null,
    verifier: (r.verifier as Buffer | null) ?? null,
  };
}

function inodeParams(r: Omit<InodeRow, 'ino'>): unknown[] {
  return [r.type, r.mode, r.uid, r.gid, r.nlink, r.size, r.used, r.rdevMajor, r.rdevMinor,
    r.atime.sec, r.atime.nsec, r.mtime.sec, r.mtime.nsec, r.ctime.sec, r.ctime.nsec, r.btime.sec, r.btime.nsec,
    r.change, r.generation, r.parent, r.target, r.verifier];
}

const extentFromRow = (r: Row): ExtentRow => ({
  ino: r.ino as InodeNumber, pos: r.pos as number, len: r.len as number,
  blockId: (r.block_id as string | null) ?? null, blockOff: r.block_off as number, data: (r.data as Buffer | null) ?? null,
});
const blockFromRow = (r: Row): BlockRow => ({
  id: r.id as string, len: r.len as number, sha256: r.sha256 as Buffer, crc32s: (r.crc32s as Buffer | null | undefined) ?? null,
  refs: r.refs as number, createdSeq: r.created_seq as number, freedSeq: (r.freed_seq as number | null) ?? null,
});
const direntFromRow = (r: Row): DirentRow & { parent: InodeNumber } => ({
  parent: r.parent as InodeNumber, name: r.name as string, ino: r.ino as InodeNumber, type: r.type as FileType,
  cookie: r.cookie as number,
});

/** Prepared statements of one connection, built lazily and cached. */
class Statements {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(readonly db: Db) {}
  get(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}

type StatementSource = Pick<Statements, 'get'>;

/**
 * Statements for reads of committed state: on the write connection whenever it has no transaction open, since its
 * page cache is warm with what it committed, while the read connection re-reads every page another connection
 * changed (~50 µs for an extent range right after a write); else on the read connection. Every read is a single
 * synchronous statement, so it sees exactly the committed state on either.
 */
class CommittedReads implements StatementSource {
  constructor(private readonly read: Statements, private readonly write?: Statements) {}
  get(sql: string): Database.Statement {
    return this.write && !this.write.db.inTransaction ? this.write.get(sql) : this.read.get(sql);
  }
}

/** Inode rows and name lookups the read caches of the process hold together. */
const MAX_CACHED_INODES = 100_000;
const MAX_CACHED_NAMES = 200_000;
const sharedInodes = new SharedBound<InodeRow>(MAX_CACHED_INODES);
const sharedNames = new SharedBound<DirentRow | null>(MAX_CACHED_NAMES);
const sharedListings = new SharedBound<readonly DirentRow[]>(MAX_LISTED);
const sharedExtentMaps = new SharedBound<ExtentMap>(MAX_CACHED_EXTENT_BYTES);

/**
 * Committed inode rows and name lookups (hits and misses), for the read connection: every NFS request reads a few,
 * and a SQLite read after another connection's commit re-reads its pages. The write side hands over what a
 * transaction wrote in the same synchronous step as its COMMIT (and drops it after a ROLLBACK), and a miss reads
 * and fills in one synchronous step too, so the cache never holds anything older than what is committed.
 */
class ReadCache {
  /**
   * Its parts of the shared bounds of inode rows, names, whole directories in cookie order (readdir pages are slices,
   * not queries) and whole extent maps (a READ makes no query); rows frozen.
   */
  private readonly inodes = sharedInodes.part<InodeNumber>();
  private readonly names = sharedNames.part<string>();
  private readonly listings = sharedListings.part<InodeNumber>();
  private readonly extentMaps = sharedExtentMaps.part<InodeNumber>();

  /** Frozen: readers share it (a stray write throws instead of corrupting the cache); writers copy it. */
  inode(ino: InodeNumber): InodeRow | undefined {
    return this.inodes.get(ino);
  }
  setInode(row: InodeRow): void {
    this.inodes.set(row.ino, Object.freeze({ ...row }), 1);
  }
  private dropInode(ino: InodeNumber): void {
    this.inodes.delete(ino);
  }
  /** undefined: not cached; null: cached as absent. */
  dirent(parent: InodeNumber, name: string): DirentRow | null | undefined {
    const d = this.names.get(nameKey(parent, name));
    return d && { ...d };
  }
  setDirent(parent: InodeNumber, name: string, row: DirentRow | null): void {
    this.names.set(nameKey(parent, name), row, 1);
  }
  listing(parent: InodeNumber): readonly DirentRow[] | undefined {
    return this.listings.get(parent);
  }
  setListing(parent: InodeNumber, rows: readonly DirentRow[]): void {
    this.listings.set(parent, rows, rows.length + 1); // an empty directory's listing counts too
  }
  private dropListing(parent: InodeNumber): void {
    this.listings.delete(parent);
  }
  extents(ino: InodeNumber): ExtentMap | undefined {
    return this.extentMaps.get(ino);
  }
  /** weight: what the map weighs (mapBytes), when the caller kept count of it. */
  setExtents(ino: InodeNumber, map: ExtentMap, weight = mapBytes(map)): void {
    this.extentMaps.set(ino, map, weight);
  }
  extentsWeight(ino: InodeNumber): number | undefined {
    return this.extentMaps.weightOf(ino);
  }
  /** A file's map changed. Knowing it has many extents stays true enough: that only chooses how reads query. */
  private dropExtents(ino: InodeNumber): void {
    if (this.extents(ino) !== MANY) this.extentMaps.delete(ino);
  }
  /** The store closes: its entries leave the shared bounds. */
  release(): void {
    this.inodes.clear();
    this.names.clear();
    this.listings.clear();
    this.extentMaps.clear();
  }
  /** What a committed transaction wrote becomes the cached state. */
  apply(w: TxnWrites): void {
    for (const [ino, row] of w.inodes) {
      if (row) this.setInode(row);
      else this.dropInode(ino);
    }
    for (const [key, row] of w.names) this.names.set(key, row, 1);
    for (const parent of w.dirs) this.dropListing(parent);
    for (const ino of w.extentInos) {
      const map = w.extentMaps.get(ino);
      if (map === MANY) this.setExtents(ino, MANY);
      else if (map) this.setExtents(ino, Object.freeze(map), w.extentWeights.get(ino));
      else this.dropExtents(ino);
    }
  }
  /** What a rolled-back transaction touched is read again from the store. */
  forget(w: TxnWrites): void {
    for (const ino of w.inodes.keys()) this.dropInode(ino);
    for (const key of w.names.keys()) this.names.delete(key);
    for (const parent of w.dirs) this.dropListing(parent);
    for (const ino of w.extentInos) this.dropExtents(ino);
  }
}

/** The inode rows, names, directories, extent maps and counters one open transaction changed (null = deleted). */
class TxnWrites {
  readonly inodes = new Map<InodeNumber, InodeRow | null>();
  readonly names = new Map<string, DirentRow | null>();
  readonly dirs = new Set<InodeNumber>();
  readonly extentInos = new Set<InodeNumber>();
  /** The maps of changed files as this transaction leaves them, where known (absent: dropped from the cache). */
  readonly extentMaps = new Map<InodeNumber, ExtentRow[] | typeof MANY>();
  /** What those maps weigh (mapBytes), kept up to date with them: weighing a map at COMMIT cost O(extents). */
  readonly extentWeights = new Map<InodeNumber, number>();
  readonly counters = new Map<CounterName, number>();
  clear(): void {
    this.inodes.clear();
    this.names.clear();
    this.dirs.clear();
    this.extentInos.clear();
    this.extentMaps.clear();
    this.extentWeights.clear();
    this.counters.clear();
  }
}

/** Index of the first item that `before` is false for (items ordered so that `before` holds for a prefix). */
function firstNotBefore<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(items[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first extent at or after `pos` (extents in pos order). */
function firstFrom(map: readonly ExtentRow[], pos: number): number {
  return firstNotBefore(map, (e) => e.pos < pos);
}

/** Index of the first row with a cookie above `after` (rows in cookie order). */
function firstAfter(rows: readonly DirentRow[], after: number): number {
  return firstNotBefore(rows, (r) => r.cookie <= after);
}

/** The bytes in memory of their own: a cached view must not keep a larger buffer (or a shared pool slab) alive. */
function ownMemory(data: Buffer): Buffer {
  if (data.byteLength === data.buffer.byteLength) return data;
  const copy = Buffer.allocUnsafeSlow(data.length);
  data.copy(copy);
  return copy;
}

/** What a cached map weighs: a row's worth for the entry itself (an empty map or a MANY mark too), rows, bytes. */
function mapBytes(map: ExtentMap): number {
  if (map === MANY) return EXTENT_ROW_BYTES;
  return map.reduce((n, e) => n + rowBytes(e), EXTENT_ROW_BYTES);
}

function rowBytes(e: ExtentRow): number {
  return EXTENT_ROW_BYTES + (e.data?.length ?? 0);
}

/** The extents of a map (in pos order, not overlapping) that overlap [start, end). */
function overlapping(map: readonly ExtentRow[], start: number, end: number): ExtentRow[] {
  // Ends increase with positions: the first extent ending after start, then those beginning before end.
  const from = firstNotBefore(map, (e) => e.pos + e.len <= start);
  let to = from;
  while (to < map.length && map[to].pos < end) to++;
  return map.slice(from, to);
}

function nameKey(parent: InodeNumber, name: string): string {
  return `${parent}/${name}`;
}

class SqliteReader implements MetaReader {
  constructor(protected readonly q: StatementSource, protected readonly cache?: ReadCache) {}

  async getInode(ino: InodeNumber): Promise<InodeRow | undefined> {
    return this.inodeOf(ino);
  }
  async getInodes(inos: readonly InodeNumber[]): Promise<Array<InodeRow | undefined>> {
    return inos.map((ino) => this.inodeOf(ino));
  }
  protected inodeOf(ino: InodeNumber): InodeRow | undefined {
    const hit = this.cache?.inode(ino);
    if (hit) return hit;
    const row = this.loadInode(ino);
    if (row) this.cache?.setInode(row);
    return row;
  }
  protected loadInode(ino: InodeNumber): InodeRow | undefined {
    const r = this.q.get('SELECT * FROM inodes WHERE ino = ?').get(ino) as Row | undefined;
    return r && inodeFromRow(r);
  }
  protected loadDirent(parent: InodeNumber, name: string): DirentRow | undefined {
    const r = this.q.get('SELECT * FROM dirents WHERE parent = ? AND name = ?').get(parent, name) as Row | undefined;
    return r && direntFromRow(r);
  }
  async getDirent(parent: InodeNumber, name: string): Promise<DirentRow | undefined> {
    const hit = this.cache?.dirent(parent, name);
    if (hit !== undefined) return hit ?? undefined;
    const row = this.loadDirent(parent, name);
    this.cache?.setDirent(parent, name, row ?? null);
    return row;
  }
  async listDirents(parent: InodeNumber, after: number, limit: number): Promise<DirentRow[]> {
    const all = this.cache?.listing(parent) ?? (after === 0 ? this.loadListing(parent) : undefined);
    if (!all) return this.pageDirents(parent, after, limit);
    const from = firstAfter(all, after);
    return all.slice(from, from + limit);
  }
  protected pageDirents(parent: InodeNumber, after: number, limit: number): DirentRow[] {
    const rows = this.q.get('SELECT * FROM dirents WHERE parent = ? AND cookie > ? ORDER BY cookie LIMIT ?')
      .all(parent, after, limit) as Row[];
    return rows.map(direntFromRow);
  }
  /** A listing read from its start is cached whole, unless the directory is too large to keep. */
  private loadListing(parent: InodeNumber): readonly DirentRow[] | undefined {
    const rows = this.pageDirents(parent, 0, MAX_LISTING + 1);
    if (rows.length > MAX_LISTING) return undefined;
    const all = Object.freeze(rows.map((r) => Object.freeze(r)));
    this.cache?.setListing(parent, all);
    return all;
  }
  async hasDirents(parent: InodeNumber): Promise<boolean> {
    return this.q.get('SELECT 1 FROM dirents WHERE parent = ? LIMIT 1').get(parent) !== undefined;
  }
  async extentsIn(ino: InodeNumber, start: number, end: number): Promise<ExtentRow[]> {
    const map = this.extentMap(ino);
    return map ? overlapping(map, start, end) : this.rangeExtents(ino, start, end);
  }
  /** The whole extent map of a file with few extents, cached; undefined for a file with many. */
  private extentMap(ino: InodeNumber): readonly ExtentRow[] | undefined {
    if (!this.cache) return undefined;
    let map = this.cache.extents(ino);
    if (map === undefined) this.cache.setExtents(ino, (map = this.loadExtentMap(ino)));
    return map === MANY ? undefined : map;
  }
  protected loadExtentMap(ino: InodeNumber): ExtentMap {
    const rows = this.q.get('SELECT * FROM extents WHERE ino = ? ORDER BY pos LIMIT ?')
      .all(ino, FEW_EXTENTS + 1) as Row[];
    return rows.length > FEW_EXTENTS ? MANY : Object.freeze(rows.map((r) => Object.freeze(extentFromRow(r))));
  }
  protected rangeExtents(ino: InodeNumber, start: number, end: number): ExtentRow[] {
    // Two index range scans: the extent that may straddle `start` (none can before 0, the common case of small
    // files), then those beginning inside the range.
    const rest = this.q.get('SELECT * FROM extents WHERE ino = ? AND pos >= ? AND pos < ? ORDER BY pos')
      .all(ino, start, end) as Row[];
    const out = rest.map(extentFromRow);
    if (start === 0 || out[0]?.pos === start) return out;
    const first = this.q.get('SELECT * FROM extents WHERE ino = ? AND pos < ? ORDER BY pos DESC LIMIT 1')
      .get(ino, start) as Row | undefined;
    if (first) {
      const e = extentFromRow(first);
      if (e.pos + e.len > start) out.unshift(e);
    }
    return out;
  }
  async countExtents(ino: InodeNumber, start: number, end: number): Promise<number> {
    const r = this.q.get('SELECT count(*) AS n FROM extents WHERE ino = ? AND pos >= ? AND pos < ?').get(ino, start, end) as Row;
    return r.n as number;
  }
  async getXattr(ino: InodeNumber, name: string): Promise<Buffer | undefined> {
    const r = this.q.get('SELECT value FROM xattrs WHERE ino = ? AND name = ?').get(ino, name) as Row | undefined;
    return r?.value as Buffer | undefined;
  }
  async listXattrs(ino: InodeNumber): Promise<string[]> {
    return (this.q.get('SELECT name FROM xattrs WHERE ino = ? ORDER BY name').all(ino) as Row[]).map((r) => r.name as string);
  }
  async getBlock(id: string): Promise<BlockRow | undefined> {
    const r = this.q.get('SELECT * FROM blocks WHERE id = ?').get(id) as Row | undefined;
    return r && blockFromRow(r);
  }
  async getCounter(name: CounterName): Promise<number> {
    const r = this.q.get('SELECT value FROM counters WHERE name = ?').get(name) as Row | undefined;
    return (r?.value as number | undefined) ?? 0;
  }
  async getConfig(key: string): Promise<string | undefined> {
    const r = this.q.get('SELECT value FROM config WHERE key = ?').get(key) as Row | undefined;
    return r?.value as string | undefined;
  }
  async listSnapshots(): Promise<SnapshotRow[]> {
    return (this.q.get('SELECT * FROM snapshots ORDER BY seq, id').all() as Row[]).map((r) => ({
      id: r.id as string, name: r.name as string, seq: r.seq as number, createdAt: r.created_at as number,
      usageJson: r.usage_json as string,
    }));
  }

  /** Keyset pagination: a scan never holds a statement open across awaits. */
  private async *pages<T>(sql: string, first: unknown[], next: (last: Row) => unknown[], map: (r: Row) => T): AsyncIterable<T> {
    let params = first;
    for (;;) {
      const rows = this.q.get(sql).all(...params, SCAN_PAGE) as Row[];
      for (const r of rows) yield map(r);
      if (rows.length < SCAN_PAGE) return;
      params = next(rows[rows.length - 1]);
    }
  }
  scanInodes(): AsyncIterable<InodeRow> {
    return this.pages('SELECT * FROM inodes WHERE ino > ? ORDER BY ino LIMIT ?', [0], (l) => [l.ino], inodeFromRow);
  }
  scanDirents(): AsyncIterable<DirentRow & { parent: InodeNumber }> {
    return this.pages('SELECT * FROM dirents WHERE (parent, cookie) > (?, ?) ORDER BY parent, cookie LIMIT ?', [0, 0],
      (l) => [l.parent, l.cookie], direntFromRow);
  }
  scanExtents(): AsyncIterable<ExtentRow> {
    return this.pages('SELECT * FROM extents WHERE (ino, pos) > (?, ?) ORDER BY ino, pos LIMIT ?', [0, -1],
      (l) => [l.ino, l.pos], extentFromRow);
  }
  async orphanInodes(): Promise<InodeNumber[]> {
    return (this.q.get('SELECT ino FROM inodes WHERE nlink = 0').all() as Row[]).map((r) => r.ino as InodeNumber);
  }
  scanBlocks(): AsyncIterable<BlockRow> {
    return this.pages('SELECT * FROM blocks WHERE id > ? ORDER BY id LIMIT ?', [''], (l) => [l.id], blockFromRow);
  }
}

class SqliteWriter extends SqliteReader implements MetaWriter {
  /** What the open transaction changed, for the read cache when it ends. */
  readonly writes = new TxnWrites();
  /** Counter values as committed: this writer is the only one that changes them. */
  private readonly committedCounters = new Map<CounterName, number>();

  // The writer holds the only write lock, so the committed cache plus this transaction's own writes is exactly
  // what it would read; a miss reads the store without filling the shared cache (the row may be uncommitted).
  protected override inodeOf(ino: InodeNumber): InodeRow | undefined {
    const mine = this.writes.inodes.get(ino);
    if (mine !== undefined) return mine ? { ...mine } : undefined;
    const hit = this.cache?.inode(ino);
    return hit ? { ...hit } : this.loadInode(ino);
  }
  override async getDirent(parent: InodeNumber, name: string): Promise<DirentRow | undefined> {
    const key = nameKey(parent, name);
    const mine = this.writes.names.get(key);
    if (mine !== undefined) return mine ? { ...mine } : undefined;
    const hit = this.cache?.dirent(parent, name);
    return hit !== undefined ? hit ?? undefined : this.loadDirent(parent, name);
  }
  /** Cached listings and extent maps hold committed rows only: the writer reads what its own connection sees. */
  override async listDirents(parent: InodeNumber, after: number, limit: number): Promise<DirentRow[]> {
    return this.pageDirents(parent, after, limit);
  }
  /**
   * The extents this transaction sees, from the file's map where it is known and few (the one this transaction keeps,
   * or the committed one it has not touched: both exact): a small file's flush then reads no rows back.
   */
  override async extentsIn(ino: InodeNumber, start: number, end: number): Promise<ExtentRow[]> {
    const map = this.knownExtentMap(ino);
    return map ? overlapping(map, start, end) : this.rangeExtents(ino, start, end);
  }
  override async countExtents(ino: InodeNumber, start: number, end: number): Promise<number> {
    const map = this.knownExtentMap(ino);
    return map ? firstFrom(map, end) - firstFrom(map, start) : super.countExtents(ino, start, end);
  }
  private knownExtentMap(ino: InodeNumber): readonly ExtentRow[] | undefined {
    const map = this.writes.extentInos.has(ino) ? this.writes.extentMaps.get(ino) : this.cache?.extents(ino);
    return map === MANY ? undefined : map;
  }
  /**
   * The extent map a file has in this transaction, kept alongside the rows written when its committed map is known
   * (cached, or empty for a file created here): at COMMIT it becomes the cached map, so the first read of a file
   * just written makes no query. Reading it back instead cost a query per flush (~50 µs).
   */
  private txnExtentMap(ino: InodeNumber): ExtentRow[] | typeof MANY | undefined {
    const w = this.writes;
    if (!w.extentInos.has(ino)) {
      w.extentInos.add(ino);
      const committed = this.cache?.extents(ino);
      if (committed === MANY) w.extentMaps.set(ino, MANY);
      else if (committed !== undefined) {
        w.extentMaps.set(ino, [...committed]);
        w.extentWeights.set(ino, this.cache?.extentsWeight(ino) ?? mapBytes(committed));
      }
    }
    return w.extentMaps.get(ino);
  }

  async insertInode(row: Omit<InodeRow, 'ino'>): Promise<InodeNumber> {
    const ino = (await this.addCounter('lastIno', 1)) as InodeNumber;
    this.q.get(`INSERT INTO inodes (type, mode, uid, gid, nlink, size, used, rdev_major, rdev_minor,
      atime_s, atime_ns, mtime_s, mtime_ns, ctime_s, ctime_ns, btime_s, btime_ns, change, generation, parent, target,
      verifier, ino) VALUES (${Array(23).fill('?').join(',')})`).run(...inodeParams(row), ino);
    this.writes.inodes.set(ino, { ...row, ino });
    if (row.type === 'file') {
      this.writes.extentInos.add(ino);
      this.writes.extentMaps.set(ino, []); // known: empty
      this.writes.extentWeights.set(ino, mapBytes([]));
    }
    return ino;
  }
  async updateInode(row: InodeRow): Promise<void> {
    this.writes.inodes.set(row.ino, { ...row });
    this.q.get(`UPDATE inodes SET type=?, mode=?, uid=?, gid=?, nlink=?, size=?, used=?, rdev_major=?, rdev_minor=?,
      atime_s=?, atime_ns=?, mtime_s=?, mtime_ns=?, ctime_s=?, ctime_ns=?, btime_s=?, btime_ns=?, change=?,
      generation=?, parent=?, target=?, verifier=? WHERE ino=?`).run(...inodeParams(row), row.ino);
  }
  async deleteInode(ino: InodeNumber): Promise<void> {
    this.writes.inodes.set(ino, null);
    this.q.get('DELETE FROM inodes WHERE ino = ?').run(ino);
  }
  async insertDirent(parent: InodeNumber, name: string, ino: InodeNumber, type: FileType): Promise<void> {
    const cookie = await this.addCounter('lastCookie', 1);
    this.q.get('INSERT INTO dirents (parent, cookie, name, ino, type) VALUES (?, ?, ?, ?, ?)').run(parent, cookie, name, ino, type);
    this.writes.names.set(nameKey(parent, name), { name, ino, type, cookie });
    this.writes.dirs.add(parent);
  }
  async deleteDirent(parent: InodeNumber, name: string): Promise<void> {
    this.writes.names.set(nameKey(parent, name), null);
    this.writes.dirs.add(parent);
    this.q.get('DELETE FROM dirents WHERE parent = ? AND name = ?').run(parent, name);
  }
  async insertExtent(e: ExtentRow): Promise<void> {
    const map = this.txnExtentMap(e.ino);
    if (map && map !== MANY) {
      if (map.length === FEW_EXTENTS) this.writes.extentMaps.set(e.ino, MANY);
      else {
        map.splice(firstFrom(map, e.pos), 0, Object.freeze({ ...e, data: e.data && ownMemory(e.data) }));
        this.weigh(e.ino, rowBytes(e));
      }
    }
    this.q.get('INSERT INTO extents (ino, pos, len, block_id, block_off, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(e.ino, e.pos, e.len, e.blockId, e.blockOff, e.data);
  }
  async updateExtent(e: ExtentRow): Promise<void> {
    const map = this.txnExtentMap(e.ino);
    if (map && map !== MANY) {
      const at = firstFrom(map, e.pos);
      if (map[at]?.pos === e.pos) {
        this.weigh(e.ino, rowBytes(e) - rowBytes(map[at]));
        map[at] = Object.freeze({ ...e, data: e.data && ownMemory(e.data) });
      }
    }
    this.q.get('UPDATE extents SET len = ?, block_id = ?, block_off = ?, data = ? WHERE ino = ? AND pos = ?')
      .run(e.len, e.blockId, e.blockOff, e.data, e.ino, e.pos);
  }
  async deleteExtent(ino: InodeNumber, pos: number): Promise<void> {
    const map = this.txnExtentMap(ino);
    if (map && map !== MANY) {
      const at = firstFrom(map, pos);
      if (map[at]?.pos === pos) this.weigh(ino, -rowBytes(map.splice(at, 1)[0]));
    }
    this.q.get('DELETE FROM extents WHERE ino = ? AND pos = ?').run(ino, pos);
  }
  /** The weight of the file's map in this transaction changed by delta. */
  private weigh(ino: InodeNumber, delta: number): void {
    const weight = this.writes.extentWeights.get(ino);
    if (weight !== undefined) this.writes.extentWeights.set(ino, weight + delta);
  }
  async putXattr(ino: InodeNumber, name: string, value: Buffer): Promise<void> {
    this.q.get('INSERT OR REPLACE INTO xattrs (ino, name, value) VALUES (?, ?, ?)').run(ino, name, value);
  }
  async deleteXattr(ino: InodeNumber, name: string): Promise<boolean> {
    return this.q.get('DELETE FROM xattrs WHERE ino = ? AND name = ?').run(ino, name).changes > 0;
  }
  async deleteXattrs(ino: InodeNumber): Promise<void> {
    this.q.get('DELETE FROM xattrs WHERE ino = ?').run(ino);
  }
  async insertBlock(b: BlockRow): Promise<void> {
    this.q.get('INSERT INTO blocks (id, len, sha256, crc32s, refs, created_seq, freed_seq) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(b.id, b.len, b.sha256, b.crc32s, b.refs, b.createdSeq, b.freedSeq);
  }
  async updateBlock(b: BlockRow): Promise<void> {
    this.q.get('UPDATE blocks SET refs = ?, freed_seq = ? WHERE id = ?').run(b.refs, b.freedSeq, b.id);
  }
  async deleteBlock(id: string): Promise<void> {
    this.q.get('DELETE FROM blocks WHERE id = ?').run(id);
  }
  async freedBlocks(): Promise<BlockRow[]> {
    return (this.q.get('SELECT * FROM blocks WHERE freed_seq IS NOT NULL').all() as Row[]).map(blockFromRow);
  }
  override async getCounter(name: CounterName): Promise<number> {
    const mine = this.writes.counters.get(name);
    if (mine !== undefined) return mine;
    let v = this.committedCounters.get(name);
    if (v === undefined) {
      v = await super.getCounter(name);
      this.committedCounters.set(name, v);
    }
    return v;
  }
  async addCounter(name: CounterName, delta: number): Promise<number> {
    const v = (await this.getCounter(name)) + delta;
    this.writes.counters.set(name, v);
    return v;
  }
  /** Writes the transaction's counters in one statement (a create changes five); run right before COMMIT. */
  saveCounters(): void {
    const changed = [...this.writes.counters];
    if (changed.length === 0) return;
    this.q.get(`INSERT INTO counters (name, value) VALUES ${changed.map(() => '(?, ?)').join(', ')}
      ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(...changed.flat());
  }
  /** After COMMIT: the transaction's counters are the committed values. */
  countersCommitted(): void {
    for (const [name, v] of this.writes.counters) this.committedCounters.set(name, v);
  }
  async setConfig(key: string, value: string): Promise<void> {
    this.q.get('INSERT OR REPLACE INTO config (key, value) VALUES (?, ?)').run(key, value);
  }
  async insertSnapshot(s: SnapshotRow): Promise<void> {
    this.q.get('INSERT INTO snapshots (id, name, seq, created_at, usage_json) VALUES (?, ?, ?, ?, ?)')
      .run(s.id, s.name, s.seq, s.createdAt, s.usageJson);
  }
  async deleteSnapshot(id: string): Promise<void> {
    this.q.get('DELETE FROM snapshots WHERE id = ?').run(id);
  }
}

function addMissingColumns(db: Db): void {
  for (const c of ADDED_COLUMNS) {
    const columns = db.prepare(`PRAGMA table_info(${c.table})`).all() as Array<{ name: string }>;
    if (!columns.some((x) => x.name === c.column)) db.exec(`ALTER TABLE ${c.table} ADD COLUMN ${c.column} ${c.type}`);
  }
}

/** The layout version of an opened database (0 = new and empty, when allowed); other versions close it and throw. */
function schemaVersion(db: Db, allowNew: boolean): number {
  const v = db.pragma('user_version', { simple: true }) as number;
  if (v === SCHEMA_VERSION || (v === 0 && allowNew)) return v;
  db.close();
  throw new FsError('EINVAL', `volume schema ${v} is not supported (expected ${SCHEMA_VERSION})`);
}

export class SqliteMetaStore implements MetaStore {
  readonly reader: MetaReader;
  private readonly writer?: SqliteWriter;
  private readonly writeDb?: Db;
  private readonly writeStatements?: Statements;
  private readonly readCache = new ReadCache();
  private readonly readDb: Db;
  private readonly lock = new AsyncMutex();
  private syncing?: Promise<void>;
  private syncAgain = false;
  private logFill?: Promise<void>;
  private walFile?: FileHandle;
  private walOpening?: Promise<FileHandle | undefined>;
  private readonly checkpointer?: Checkpointer;
  private commitsSinceCheckpoint = 0;
  private checkpointing?: Promise<void>;
  private commits = 0;
  private syncedCommits = 0;

  private constructor(private readonly path: string, readonly readOnly: boolean) {
    if (!readOnly) {
      this.writeDb = new Database(path);
      // Checked before anything is written: a volume of another layout is refused untouched.
      const version = schemaVersion(this.writeDb, true);
      this.writeDb.pragma('journal_mode = WAL');
      // Commits need not fsync: sync() makes the WAL durable at the protocol's durability points, and a
      // process crash (kill -9) never loses a committed transaction either way.
      this.writeDb.pragma('synchronous = NORMAL');
      this.writeDb.pragma('foreign_keys = OFF');
      this.writeDb.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
      this.writeDb.exec(SCHEMA);
      addMissingColumns(this.writeDb);
      if (version === 0) {
        // Readdir cookies 0, 1 and 2 are reserved by NFS; start dirents after them.
        this.writeDb.exec(`INSERT OR IGNORE INTO counters (name, value) VALUES ('lastCookie', 2)`);
        this.writeDb.pragma(`user_version = ${SCHEMA_VERSION}`);
      }
      this.writeStatements = new Statements(this.writeDb);
      this.writer = new SqliteWriter(this.writeStatements, this.readCache);
    }
    this.readDb = new Database(path, { readonly: readOnly, fileMustExist: true });
    if (readOnly) schemaVersion(this.readDb, false);
    else this.readDb.pragma('journal_mode = WAL');
    this.reader = new SqliteReader(new CommittedReads(new Statements(this.readDb), this.writeStatements), this.readCache);
    if (!readOnly) this.checkpointer = new Checkpointer(path);
  }

  static open(path: string, opts: { create: boolean; readOnly?: boolean }): SqliteMetaStore {
    if (!opts.create && !existsSync(path)) throw new FsError('ENOENT', `no volume metadata at ${path}`);
    return new SqliteMetaStore(path, opts.readOnly ?? false);
  }

  /**
   * Turns a copy of a snapshot's store into the metadata of a new volume: its own id, no snapshots, no blocks that
   * only other snapshots held. The file is rewritten in place; call before opening it.
   */
  static adoptCopy(path: string, id: string): void {
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.transaction(() => {
        db.prepare('DELETE FROM snapshots').run();
        db.prepare('DELETE FROM blocks WHERE refs = 0').run();
        db.prepare("INSERT OR REPLACE INTO config (key, value) VALUES ('id', ?)").run(id);
        db.prepare("INSERT OR REPLACE INTO config (key, value) VALUES ('restoredAt', ?)").run(new Date().toISOString());
      })();
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  }

  async write<T>(fn: (tx: MetaWriter) => Promise<T>): Promise<T> {
    return this.lock.run(() => this.transaction(fn));
  }

  /** One transaction on the write connection; the caller holds the write lock. */
  private async transaction<T>(fn: (tx: MetaWriter) => Promise<T>): Promise<T> {
    const db = this.writeDb;
    const writer = this.writer;
    if (!db || !writer) throw new FsError('EROFS', 'read-only metadata store');
    const q = this.writeStatements as Statements;
    q.get('BEGIN IMMEDIATE').run();
    try {
      const result = await fn(writer);
      writer.saveCounters();
      q.get('COMMIT').run();
      writer.countersCommitted();
      this.readCache.apply(writer.writes);
      this.committed();
      return result;
    } catch (e) {
      if (db.inTransaction) q.get('ROLLBACK').run();
      this.readCache.forget(writer.writes);
      throw e;
    } finally {
      writer.writes.clear();
    }
  }

  private committed(): void {
    // A volume in use: from now on its log is worth the fill (the next transaction waits for it).
    if (++this.commits === FILL_LOG_AFTER_COMMITS) this.logFill = this.preallocateLog();
    if (++this.commitsSinceCheckpoint < CHECKPOINT_EVERY || this.checkpointing || !this.checkpointer) return;
    this.commitsSinceCheckpoint = 0;
    this.checkpointing = this.checkpointLog(this.checkpointer)
      .catch(() => undefined) // the log is then left to SQLite's own (backstop) checkpoint
      .finally(() => {
        this.checkpointing = undefined;
      });
  }

  /**
   * The log restarts from its beginning (instead of growing) only when a checkpoint copied all of it before the next
   * write: so the bulk is copied while writers go on, then what they committed meanwhile with writers held back
   * (a few frames: a millisecond or two, and readers never wait).
   */
  private async checkpointLog(checkpointer: Checkpointer): Promise<void> {
    await checkpointer.checkpoint();
    await this.lock.run(() => checkpointer.checkpoint());
  }

  /**
   * Fills the log up to LOG_PREALLOCATED_BYTES, holding the write lock (no frame is appended meanwhile). Best effort:
   * a disk too full for it only leaves the log to grow.
   */
  async preallocateLog(): Promise<void> {
    if (this.readOnly) return;
    await this.lock.run(async () => {
      const log = await this.openWal();
      if (!log) return;
      const zeros = Buffer.alloc(1024 * 1024);
      // From the current end only: whatever the file holds (frames, or a crashed run's) stays as it is.
      for (let at = (await log.stat()).size; at < LOG_PREALLOCATED_BYTES; at += zeros.length) {
        await log.write(zeros, 0, Math.min(zeros.length, LOG_PREALLOCATED_BYTES - at), at);
      }
      await log.datasync();
    }).catch(() => undefined);
  }

  /** Group commit: callers arriving during an fsync share the next one. */
  async sync(opts: { onEventLoop?: boolean } = {}): Promise<void> {
    if (this.readOnly || (this.commits === this.syncedCommits && !this.syncing)) return;
    if (this.syncing) {
      this.syncAgain = true;
      while (this.syncing) await this.syncing;
      return;
    }
    if (opts.onEventLoop) {
      const upTo = this.commits;
      const wal = await this.openWal();
      if (wal) fdatasyncSync(wal.fd);
      // The open above may have yielded to a sync that started meanwhile and already covers us; harmless either way.
      this.syncedCommits = Math.max(this.syncedCommits, upTo);
      return;
    }
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        const upTo = this.commits;
        await (await this.openWal())?.datasync();
        this.syncedCommits = upTo;
      } while (this.syncAgain);
    })();
    try {
      await this.syncing;
    } finally {
      this.syncing = undefined;
    }
  }

  /**
   * Committed transactions not yet checkpointed live in the WAL; checkpoints fsync the database file themselves
   * (synchronous=NORMAL), so making the WAL durable makes every commit so far durable. The WAL file lives as long
   * as our connections do, so one descriptor serves every sync (an open and a close per sync cost as much as the
   * fdatasync itself) and the log fill (hence writable); undefined while SQLite has not created it yet.
   */
  private openWal(): Promise<FileHandle | undefined> {
    if (this.walFile) return Promise.resolve(this.walFile);
    // One open at a time: callers racing for the first open (a sync, the log fill) share it.
    this.walOpening ??= open(`${this.path}-wal`, 'r+').then((fh) => {
      this.walFile = fh;
      return fh;
    }, (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    }).finally(() => {
      this.walOpening = undefined;
    });
    return this.walOpening;
  }

  async snapshot(path: string, record: (tx: MetaWriter) => Promise<void>): Promise<void> {
    await this.lock.run(async () => {
      await this.transaction(record);
      // The read connection sees exactly what is committed, and nothing commits while the lock is held.
      const tmp = `${path}.partial`;
      rmSync(tmp, { force: true });
      this.readDb.prepare('VACUUM INTO ?').run(tmp);
      renameSync(tmp, path);
    });
  }

  /** What a file's cached extent map counts for against the cache's bound (undefined: not cached). For tests. */
  cachedExtentMapWeight(ino: InodeNumber): number | undefined {
    return this.readCache.extentsWeight(ino);
  }

  async openReadOnly(path: string): Promise<MetaReader & { close(): Promise<void> }> {
    const store = SqliteMetaStore.open(path, { create: false, readOnly: true });
    return Object.assign(store.reader, { close: () => store.close() });
  }

  async close(): Promise<void> {
    while (this.syncing) await this.syncing;
    await this.logFill;
    await this.checkpointing;
    await this.checkpointer?.close();
    await this.walOpening;
    await this.walFile?.close();
    this.walFile = undefined;
    await this.lock.run(async () => {
      this.readDb.close();
      this.writeDb?.close();
    });
    this.readCache.release();
  }
}
