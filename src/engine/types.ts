// The engine's public contract. Everything above the engine (nfs/, service/, backup/, cli/) uses
// only these types and the Volume / VolumeReader interfaces; nothing above reads tables or block files.

export type InodeNumber = number & { readonly __brand: 'InodeNumber' };
export const ROOT_INODE = 1 as InodeNumber;

export type FileType = 'file' | 'dir' | 'symlink' | 'fifo' | 'socket' | 'chr' | 'blk';

export interface Timespec {
  sec: number;
  nsec: number;
}

/** Who is asking: AUTH_SYS identity, already squashed/mapped by the caller's export rules. */
export interface Caller {
  uid: number;
  gid: number;
  gids: readonly number[];
}
export const ROOT_CALLER: Caller = Object.freeze({ uid: 0, gid: 0, gids: [] });

export interface Attr {
  ino: InodeNumber;
  type: FileType;
  /** Permission bits and setuid/setgid/sticky: mode & 0o7777. */
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  /** Bytes of data actually stored (sparse files use less than size). */
  used: number;
  rdev: { major: number; minor: number };
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  btime: Timespec;
  /** Bumped on every change to the inode or its data (NFSv4 `change`). */
  change: number;
  /** Random per inode; a file handle carrying another generation is stale. */
  generation: number;
}

export type Errno =
  | 'EPERM' | 'ENOENT' | 'EIO' | 'ENXIO' | 'EACCES' | 'EEXIST' | 'EXDEV' | 'ENODEV' | 'ENOTDIR'
  | 'EISDIR' | 'EINVAL' | 'EFBIG' | 'ENOSPC' | 'EROFS' | 'EMLINK' | 'ENAMETOOLONG' | 'ENOTEMPTY'
  | 'EDQUOT' | 'ESTALE' | 'ENODATA' | 'ERANGE' | 'ENOTSUP' | 'E2BIG' | 'ELOOP' | 'EBADF';

/** A POSIX error: the code is data that protocol layers map to their own status (NFS4ERR_*, NFS3ERR_*). */
export class FsError extends Error {
  readonly code: Errno;
  constructor(code: Errno, message?: string, options?: { cause?: unknown }) {
    super(message ? `${code}: ${message}` : code, options);
    this.code = code;
    this.name = 'FsError';
  }
}
export function isFsError(e: unknown, code?: Errno): e is FsError {
  return e instanceof FsError && (code === undefined || e.code === code);
}

/** Attributes to change; undefined fields are left alone. 'now' means the server's clock. */
export interface SetAttr {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: Timespec | 'now';
  mtime?: Timespec | 'now';
}

export interface CreateOptions {
  mode: number;
  /** Fail with EEXIST when the name exists (O_EXCL / NFS GUARDED). Default false: open the existing file. */
  exclusive?: boolean;
  /**
   * Exclusive create with a verifier (NFSv3 EXCLUSIVE, NFSv4 EXCLUSIVE4/4_1): the verifier is stored on the
   * new inode; a retry with the same verifier returns the existing file instead of EEXIST.
   */
  verifier?: Buffer;
  /** Initial attributes to apply in the same transaction (NFSv4 createattrs, EXCLUSIVE4_1). */
  attrs?: SetAttr;
}

export interface CreateResult {
  attr: Attr;
  /** false when an existing file was returned (non-exclusive create, or a verifier retry). */
  created: boolean;
}

export interface DirEntry {
  name: string;
  ino: InodeNumber;
  type: FileType;
  /** Opaque resume point: pass it back to readdir to continue after this entry. Never 0, 1 or 2. */
  cookie: number;
  /** With readdir's `attrs` option (absent if the entry went away meanwhile). */
  attr?: Attr;
}

export interface ReadDirResult {
  entries: DirEntry[];
  eof: boolean;
}

export interface ReadResult {
  /**
   * May be a view of pooled block memory: a caller that is done with it (an NFS reply once sent) gives it back with
   * releaseBlockView and never reads it again; one that keeps it may keep it as long as it likes.
   */
  data: Buffer;
  eof: boolean;
}

/** UNSTABLE may stay buffered in memory; DATA_SYNC/FILE_SYNC are durable before write() resolves. */
export type Stability = 'unstable' | 'data_sync' | 'file_sync';

export interface WriteResult {
  count: number;
  committed: Stability;
  attr: Attr;
}

export interface StatFs {
  totalBytes: number;
  freeBytes: number;
  availBytes: number;
  totalFiles: number;
  freeFiles: number;
  availFiles: number;
}

/** Exact usage, kept in the same transactions as the changes that cause it. */
export interface Usage {
  /** Sum of regular file sizes plus symlink target lengths. */
  logicalBytes: number;
  inodes: number;
  /** 2 KiB per inode plus every regular file's size rounded up to 4 KiB (the reference's metering). */
  meteredBytes: number;
  /** Per storage class; only STANDARD until tiering exists. */
  byClass: { standard: number; infrequentAccess: number; archive: number };
}

export interface SnapshotInfo {
  id: string;
  name: string;
  createdAt: Date;
  usage: Usage;
}

export interface FsckProblem {
  kind: string;
  ino?: InodeNumber;
  detail: string;
}
export interface FsckReport {
  inodes: number;
  directories: number;
  blocks: number;
  bytesVerified: number;
  /** Block files no metadata refers to (left by a crash; swept at the next open). Harmless, not a problem. */
  leakedBlocks: number;
  problems: FsckProblem[];
}

/** The read side: what a live volume and a snapshot both offer. */
export interface VolumeReader {
  getattr(ino: InodeNumber): Promise<Attr>;
  lookup(caller: Caller, dir: InodeNumber, name: string): Promise<Attr>;
  /** The parent of a directory (the root's parent is the root). */
  parentOf(dir: InodeNumber): Promise<InodeNumber>;
  /** Which of R_OK(4)/W_OK(2)/X_OK(1) in `mask` the caller has on ino. */
  access(caller: Caller, ino: InodeNumber, mask: number): Promise<number>;
  readlink(ino: InodeNumber): Promise<string>;
  /** Entries after `cookie` (0 = from the start), at most `limit`. '.' and '..' are not listed. */
  /** Up to `limit` entries after `cookie`; with `attrs`, each with its attributes (READDIRPLUS). */
  readdir(caller: Caller, dir: InodeNumber, cookie: number, limit: number, opts?: { attrs?: boolean }): Promise<ReadDirResult>;
  read(caller: Caller, ino: InodeNumber, offset: number, length: number): Promise<ReadResult>;
  getxattr(caller: Caller, ino: InodeNumber, name: string): Promise<Buffer>;
  listxattr(caller: Caller, ino: InodeNumber): Promise<string[]>;
  /** Next data (or hole) offset at or after `offset`; ENXIO past the end (NFSv4.2 SEEK). */
  seek(ino: InodeNumber, offset: number, what: 'data' | 'hole'): Promise<number>;
  statfs(): Promise<StatFs>;
  usage(): Promise<Usage>;
}

/** What a backup reads from a snapshot: its metadata as one self-contained file, and the blocks it references. */
export interface SnapshotExport {
  /** A copy of the snapshot's metadata store (a SQLite file), everything but block contents. */
  readonly metadataFile: string;
  /** Every block the snapshot references, with its content hash (the vault's key) and length. */
  blocks(): AsyncIterable<{ id: string; sha256: Buffer; len: number }>;
  /** A block's bytes, verified against its hash. */
  readBlock(id: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Where a restored volume fetches, by content hash, a block it does not hold yet (lazy restore). */
export type BlockSource = (sha256: Buffer, len: number) => Promise<Buffer>;

export interface HydrationStatus {
  blocksTotal: number;
  blocksLocal: number;
  bytesTotal: number;
  bytesLocal: number;
}

export interface Volume extends VolumeReader {
  readonly id: string;
  readonly readOnly: boolean;
  /** 8 bytes, new on every open of the volume: NFS write verifier. */
  readonly writeVerifier: Buffer;

  create(caller: Caller, dir: InodeNumber, name: string, opts: CreateOptions): Promise<CreateResult>;
  mkdir(caller: Caller, dir: InodeNumber, name: string, mode: number, attrs?: SetAttr): Promise<Attr>;
  symlink(caller: Caller, dir: InodeNumber, name: string, target: string, attrs?: SetAttr): Promise<Attr>;
  mknod(caller: Caller, dir: InodeNumber, name: string, type: 'fifo' | 'socket' | 'chr' | 'blk', mode: number,
    rdev?: { major: number; minor: number }, attrs?: SetAttr): Promise<Attr>;
  link(caller: Caller, ino: InodeNumber, dir: InodeNumber, name: string): Promise<Attr>;
  unlink(caller: Caller, dir: InodeNumber, name: string): Promise<void>;
  rmdir(caller: Caller, dir: InodeNumber, name: string): Promise<void>;
  rename(caller: Caller, fromDir: InodeNumber, fromName: string, toDir: InodeNumber, toName: string): Promise<void>;
  setattr(caller: Caller, ino: InodeNumber, set: SetAttr): Promise<Attr>;

  /**
   * Writes `data` (or its parts, one after the other) at offset. The volume may keep a reference to the data until
   * it is flushed: do not modify it after the call.
   */
  write(caller: Caller, ino: InodeNumber, offset: number, data: Buffer | readonly Buffer[], stability: Stability): Promise<WriteResult>;
  /** Make everything written to ino (or the whole volume) durable: data blocks and metadata. */
  commit(ino?: InodeNumber): Promise<void>;
  /** Zero-fill (ALLOCATE keeps data; DEALLOCATE punches a hole that reads as zeros). */
  deallocate(caller: Caller, ino: InodeNumber, offset: number, length: number): Promise<Attr>;
  allocate(caller: Caller, ino: InodeNumber, offset: number, length: number): Promise<Attr>;

  /** Open-file references keep unlinked inodes (and their data) alive until the last release. */
  retain(ino: InodeNumber): void;
  release(ino: InodeNumber): Promise<void>;

  setxattr(caller: Caller, ino: InodeNumber, name: string, value: Buffer, mode?: 'create' | 'replace' | 'either'): Promise<void>;
  removexattr(caller: Caller, ino: InodeNumber, name: string): Promise<void>;

  snapshot(name?: string): Promise<SnapshotInfo>;
  listSnapshots(): Promise<SnapshotInfo[]>;
  openSnapshot(id: string): Promise<VolumeReader & { close(): Promise<void> }>;
  deleteSnapshot(id: string): Promise<void>;
  exportSnapshot(id: string): Promise<SnapshotExport>;

  /** For a volume restored from a backup: how much of its data is local yet. */
  hydration(): Promise<HydrationStatus>;
  /** Fetches every block not yet local from the volume's BlockSource; resolves when all are local. */
  hydrate(onProgress?: (s: HydrationStatus) => void): Promise<void>;

  fsck(opts?: { verifyData?: boolean }): Promise<FsckReport>;
  /** Flush buffered data, make it durable, and close files. */
  close(): Promise<void>;
}

export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;
export const NAME_MAX = 255;
/** The reference's largest file: 47.9 TiB. */
export const MAX_FILE_SIZE = 52_673_613_135_872;
