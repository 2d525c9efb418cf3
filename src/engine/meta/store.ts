// The MetaStore: the narrow, transactional primitives the engine's POSIX semantics are built on.
// Implementations (SQLite now, PostgreSQL later) store rows; they hold no file system rules.
import type { FileType, InodeNumber, Timespec } from '../types.ts';

export interface InodeRow {
  ino: InodeNumber;
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  used: number;
  rdevMajor: number;
  rdevMinor: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  btime: Timespec;
  change: number;
  generation: number;
  /** Directories only: the parent directory ('..'). */
  parent: InodeNumber | null;
  /** Symlinks only. */
  target: string | null;
  /** Exclusive-create verifier, kept so that a retried create is recognised. */
  verifier: Buffer | null;
}

export interface DirentRow {
  name: string;
  ino: InodeNumber;
  type: FileType;
  /** Monotonic per volume, never reused: the readdir cookie. */
  cookie: number;
}

/**
 * A run of file data at [pos, pos+len). Either a window into an immutable block
 * (blockId, blockOff) or, for small runs, the bytes themselves (data).
 * The extents of one inode never overlap.
 */
export interface ExtentRow {
  ino: InodeNumber;
  pos: number;
  len: number;
  blockId: string | null;
  blockOff: number;
  data: Buffer | null;
}

export interface BlockRow {
  id: string;
  len: number;
  sha256: Buffer;
  /** CRC-32 of each 64 KiB segment (blocks/segment-crc.js), which verifies reads; null for blocks recorded without
   * them (by an earlier version, or restored from a backup): those reads are verified by the SHA-256. */
  crc32s: Buffer | null;
  /** Extents of the live volume that point into this block. */
  refs: number;
  /** Sequence numbers bounding the block's life in the live volume: snapshot S holds it iff created <= S < freed. */
  createdSeq: number;
  freedSeq: number | null;
}

export interface SnapshotRow {
  id: string;
  name: string;
  seq: number;
  createdAt: number;
  usageJson: string;
}

export type CounterName = 'seq' | 'inodes' | 'logical' | 'metered' | 'lastIno' | 'lastCookie';

export interface MetaReader {
  getInode(ino: InodeNumber): Promise<InodeRow | undefined>;
  /** Several inodes at once (a readdir page with attributes), in the order asked. */
  getInodes(inos: readonly InodeNumber[]): Promise<Array<InodeRow | undefined>>;
  getDirent(parent: InodeNumber, name: string): Promise<DirentRow | undefined>;
  /** Entries with cookie > after, in cookie order. */
  listDirents(parent: InodeNumber, after: number, limit: number): Promise<DirentRow[]>;
  hasDirents(parent: InodeNumber): Promise<boolean>;
  /** Extents overlapping [start, end), ordered by pos. */
  extentsIn(ino: InodeNumber, start: number, end: number): Promise<ExtentRow[]>;
  /** How many extents begin in [start, end) (from the index alone: no data is read). */
  countExtents(ino: InodeNumber, start: number, end: number): Promise<number>;
  getXattr(ino: InodeNumber, name: string): Promise<Buffer | undefined>;
  listXattrs(ino: InodeNumber): Promise<string[]>;
  getBlock(id: string): Promise<BlockRow | undefined>;
  getCounter(name: CounterName): Promise<number>;
  getConfig(key: string): Promise<string | undefined>;
  listSnapshots(): Promise<SnapshotRow[]>;
  /** Full scans, for the checker, GC and backups. */
  scanInodes(): AsyncIterable<InodeRow>;
  scanDirents(): AsyncIterable<DirentRow & { parent: InodeNumber }>;
  scanExtents(): AsyncIterable<ExtentRow>;
  scanBlocks(): AsyncIterable<BlockRow>;
  /** Inodes with no links left (unlinked while open, or left by a crash). */
  orphanInodes(): Promise<InodeNumber[]>;
}

export interface MetaWriter extends MetaReader {
  insertInode(row: Omit<InodeRow, 'ino'>): Promise<InodeNumber>;
  updateInode(row: InodeRow): Promise<void>;
  deleteInode(ino: InodeNumber): Promise<void>;
  insertDirent(parent: InodeNumber, name: string, ino: InodeNumber, type: FileType): Promise<void>;
  deleteDirent(parent: InodeNumber, name: string): Promise<void>;
  insertExtent(row: ExtentRow): Promise<void>;
  /** Replaces the extent that begins at row.pos in place (same key, same row): fewer pages than delete + insert. */
  updateExtent(row: ExtentRow): Promise<void>;
  deleteExtent(ino: InodeNumber, pos: number): Promise<void>;
  putXattr(ino: InodeNumber, name: string, value: Buffer): Promise<void>;
  deleteXattr(ino: InodeNumber, name: string): Promise<boolean>;
  deleteXattrs(ino: InodeNumber): Promise<void>;
  insertBlock(row: BlockRow): Promise<void>;
  updateBlock(row: BlockRow): Promise<void>;
  deleteBlock(id: string): Promise<void>;
  /** Blocks no longer in the live volume, still held by some snapshot. */
  freedBlocks(): Promise<BlockRow[]>;
  addCounter(name: CounterName, delta: number): Promise<number>;
  setConfig(key: string, value: string): Promise<void>;
  insertSnapshot(row: SnapshotRow): Promise<void>;
  deleteSnapshot(id: string): Promise<void>;
}

export interface MetaStore {
  /** Reads of committed state, outside any write transaction. */
  readonly reader: MetaReader;
  /** One transaction: all or nothing; transactions are serialized. */
  write<T>(fn: (tx: MetaWriter) => Promise<T>): Promise<T>;
  /**
   * Everything committed so far becomes durable against power loss (group-committed). `onEventLoop`: nothing else
   * is being served, so the sync may block the event loop rather than take a thread-pool round trip.
   */
  sync(opts?: { onEventLoop?: boolean }): Promise<void>;
  /**
   * Commits `record`'s transaction and copies the resulting committed state to a new store file at `path`,
   * with no other transaction in between (a snapshot and its own bookkeeping row agree exactly).
   */
  snapshot(path: string, record: (tx: MetaWriter) => Promise<void>): Promise<void>;
  /** Reads another store file of this kind (a snapshot), read-only. */
  openReadOnly(path: string): Promise<MetaReader & { close(): Promise<void> }>;
  close(): Promise<void>;
}
