// A live volume: POSIX namespace and data operations over a MetaStore and a BlockStore.
// Every operation is one metadata transaction; file data is buffered per file and flushed into
// immutable blocks (or inline extents), which are durable before the transaction that references them.
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inodeUsage } from './accounting.ts';
import { LocalBlockStore } from './blocks/local-store.ts';
import type { BlockStore } from './blocks/store.ts';
import { releaseBlockView, sha256Off } from './blocks/hash-pool.ts';
import { VerifiedBlockReader, type BlockRef } from './blocks/verified-cache.ts';
import { now } from './clock.ts';
import { cutPieces, DirtyFile, type DirtyRun, type FlushPiece } from './dirty-file.ts';
import { replaceRange } from './extent-map.ts';
import { checkVolume } from './fsck.ts';
import { servingOneRequest } from './foreground.ts';
import type { CounterName, ExtentRow, InodeRow, MetaReader, MetaStore, MetaWriter } from './meta/store.ts';
import { SqliteMetaStore } from './meta/sqlite-store.ts';
import { KeyedMutex } from './mutex.ts';
import { checkName, checkNewName } from './names.ts';
import {
  allowedAccess, inGroup, isOwnerOrRoot, requireAccess, requireIoAccess, requireStickyOk, S_ISGID, S_ISUID,
} from './permissions.ts';
import { attrFromRow, ELASTIC_CAPACITY, VolumeReaderImpl } from './reader.ts';
import {
  FsError, MAX_FILE_SIZE, ROOT_INODE, W_OK, X_OK,
  type Attr, type Caller, type CreateOptions, type CreateResult, type FileType, type FsckReport, type InodeNumber,
  type BlockSource, type HydrationStatus, type SetAttr, type SnapshotExport, type SnapshotInfo, type Stability, type Usage, type Volume, type VolumeReader, type WriteResult,
} from './types.ts';
import { WriteBudget } from './write-budget.ts';

export interface VolumeOptions {
  /** Directory holding this volume only: meta.db (SQLite), blocks/, snapshots/. */
  dir: string;
  /** The file system id (fs-…), recorded in the volume on creation. */
  id: string;
  /** Create the volume when dir holds none; otherwise opening a missing volume is ENOENT. */
  create?: boolean;
  /** Hard capacity (FSx StorageCapacity); default unlimited (EFS is elastic). ENOSPC past it. */
  capacityBytes?: number;
  /** Shared cap on buffered unstable data for the whole server (default: a private 256 MiB one). */
  budget?: WriteBudget;
  /** A volume restored from a backup fetches the blocks it lacks from here (see restoreVolume). */
  source?: BlockSource;
  /** Extents a 4 MiB window may hold before it is rewritten (default COMPACT_EXTENTS; tests lower it). */
  compactAbove?: number;
}

/** Largest block; a flush cuts buffered runs into pieces of at most this size. */
export const BLOCK_SIZE = 4 * 1024 * 1024;
/** Runs up to this size live in the metadata store instead of a block of their own. */
export const INLINE_MAX = 16 * 1024;
/** A file with this much buffered data is flushed in the background. */
const FLUSH_THRESHOLD = 2 * BLOCK_SIZE;
/** Buffered data older than this is flushed (bounded staleness of unstable writes). */
const IDLE_FLUSH_MS = 2000;
/**
 * A block-sized window with more extents than this is rewritten as one run per contiguous range. Each random 4 KiB
 * write into a block adds two extents, so this sets how many such writes one 4 MiB rewrite serves: at 64 (~30
 * writes) the rewrites were most of a random-write load's cost, at 256 (~80) still a fifth of it (see
 * docs/architecture.md). A read queries only the extents of its own range, whatever the window holds.
 */
export const COMPACT_EXTENTS = 1024;
const FAR_END = Number.MAX_SAFE_INTEGER;

export async function openVolume(opts: VolumeOptions): Promise<Volume> {
  if (opts.create) await mkdir(join(opts.dir, 'snapshots'), { recursive: true });
  const meta = SqliteMetaStore.open(join(opts.dir, 'meta.db'), { create: opts.create ?? false });
  const volume = new LiveVolume(opts.dir, opts.id, meta, new LocalBlockStore(join(opts.dir, 'blocks')),
    opts.capacityBytes ?? ELASTIC_CAPACITY, opts.budget ?? new WriteBudget(), opts.source, opts.compactAbove);
  try {
    await volume.init();
  } catch (e) {
    await meta.close();
    throw e;
  }
  return volume;
}

/** Deltas of a transaction that are applied when it ends. */
class TxEffects {
  readonly counters = new Map<CounterName, number>();
  readonly deleteBlocks: string[] = [];
  /** New blocks to enter the verified cache at commit, with their contents. */
  readonly cacheBlocks = new Map<string, Buffer>();
  count(name: CounterName, delta: number): void {
    if (delta !== 0) this.counters.set(name, (this.counters.get(name) ?? 0) + delta);
  }
  usage(type: FileType, before: number | null, after: number | null): void {
    const b = before === null ? { logical: 0, metered: 0 } : inodeUsage(type, before);
    const a = after === null ? { logical: 0, metered: 0 } : inodeUsage(type, after);
    this.count('logical', a.logical - b.logical);
    this.count('metered', a.metered - b.metered);
  }
}

class LiveVolume extends VolumeReaderImpl implements Volume {
  readonly readOnly = false;
  readonly writeVerifier = randomBytes(8);
  private readonly dirty = new Map<InodeNumber, DirtyFile>();
  private readonly opens = new Map<InodeNumber, number>();
  private readonly inodeLock = new KeyedMutex<InodeNumber>();
  private readonly flushErrors = new Map<InodeNumber, unknown>();
  /**
   * Blocks that committed transactions freed. Their files are deleted only once those transactions are durable
   * (makeDurable): the commit itself is not synced, and after a power loss the log could come back without it,
   * pointing at blocks already gone — data that had been durable before.
   */
  private freedBlocks: string[] = [];
  /** Freed by durable transactions: deleted as soon as no read is in progress. */
  private readonly pendingBlockDeletes: string[] = [];
  /** Sequence numbers of existing snapshots: a freed block stays while some snapshot's seq lies in its life. */
  private holds: number[] = [];
  private timer?: NodeJS.Timeout;
  private unregisterPressure?: () => void;
  private readonly openedAt = Date.now();
  private closed = false;

  constructor(
    private readonly dir: string,
    readonly id: string,
    private readonly store: MetaStore,
    private readonly blockStore: BlockStore,
    capacityBytes: number,
    private readonly budget: WriteBudget,
    source?: BlockSource,
    private readonly compactAbove = COMPACT_EXTENTS,
  ) {
    super(store.reader, new VerifiedBlockReader(blockStore, source), capacityBytes);
    this.blocks.onFetched = (id) => this.unsyncedBlocks.add(id);
  }

  /** Blocks fetched from a restore source since the last durability point (written blocks are synced at once). */
  private readonly unsyncedBlocks = new Set<string>();

  /**
   * Everything written and committed so far survives power loss: blocks first, then the metadata log. A request's
   * own durability point syncs the log on the event loop when no other request is in progress (foreground.ts).
   */
  private async makeDurable(forRequest = false): Promise<void> {
    const ids = [...this.unsyncedBlocks];
    await this.blockStore.sync(ids);
    for (const id of ids) this.unsyncedBlocks.delete(id);
    // Transactions that freed these have committed: the sync below covers them.
    const freed = this.freedBlocks;
    this.freedBlocks = [];
    try {
      await this.store.sync({ onEventLoop: forRequest && servingOneRequest() });
    } catch (e) {
      this.freedBlocks = [...freed, ...this.freedBlocks];
      throw e;
    }
    if (freed.length === 0) return;
    this.pendingBlockDeletes.push(...freed);
    await this.runBlockDeletes();
  }

  // ---------------------------------------------------------------- lifecycle

  async init(): Promise<void> {
    const recorded = await this.store.reader.getConfig('id');
    if (recorded === undefined) await this.format();
    else if (recorded !== this.id) throw new FsError('EINVAL', `volume in ${this.dir} is ${recorded}, not ${this.id}`);
    await this.dropStaleSnapshots();
    this.holds = (await this.store.reader.listSnapshots()).map((s) => s.seq);
    // Nobody has a file open after a restart: unlinked-but-open inodes are garbage now.
    for (const ino of await this.store.reader.orphanInodes()) {
      await this.txn(async (tx, fx) => {
        const r = await tx.getInode(ino);
        if (r && r.nlink === 0) await this.destroy(tx, fx, r);
      });
    }
    void this.sweepLeakedBlocks().catch(() => undefined);
    this.unregisterPressure = this.budget.onPressure(() => void this.flushAll().catch(() => undefined));
    this.timer = setInterval(() => void this.background().catch(() => undefined), 1000);
    this.timer.unref();
  }

  private async format(): Promise<void> {
    await this.txn(async (tx, fx) => {
      const t = now();
      const ino = await tx.insertInode({
        type: 'dir', mode: 0o755, uid: 0, gid: 0, nlink: 2, size: 0, used: 0, rdevMajor: 0, rdevMinor: 0,
        atime: t, mtime: t, ctime: t, btime: t, change: 1, generation: randomInt(1, 2 ** 31), parent: null,
        target: null, verifier: null,
      });
      if (ino !== ROOT_INODE) throw new FsError('EIO', `root inode is ${ino}`);
      fx.count('inodes', 1);
      fx.usage('dir', null, 0);
      await tx.setConfig('id', this.id);
      await tx.setConfig('createdAt', new Date().toISOString());
    });
    await this.store.sync();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushAll();
    this.closed = true;
    clearInterval(this.timer);
    this.unregisterPressure?.();
    await this.makeDurable();
    await this.runBlockDeletes();
    await this.store.close();
    this.blocks.release();
  }

  private async background(): Promise<void> {
    const cutoff = Date.now() - IDLE_FLUSH_MS;
    for (const [ino, d] of this.dirty) {
      if (d.pending.length > 0 && d.firstDirtyAt < cutoff) await this.flushInode(ino);
    }
    // Namespace operations are atomic at once; this bounds how long they may wait to be durable on power loss.
    await this.makeDurable();
  }

  // ---------------------------------------------------------------- transactions

  private async txn<T>(fn: (tx: MetaWriter, fx: TxEffects) => Promise<T>): Promise<T> {
    if (this.closed) throw new FsError('EIO', 'volume is closed');
    const fx = new TxEffects();
    const result = await this.store.write(async (tx) => {
      const r = await fn(tx, fx);
      for (const [name, delta] of fx.counters) await tx.addCounter(name, delta);
      return r;
    });
    // Right as the commit returns, before any I/O is awaited: a read that finds the new extents finds their blocks
    // cached (a compaction's new block read back from disk had cost a concurrent random read ~20 ms).
    for (const id of fx.deleteBlocks) this.blocks.forget(id);
    for (const [id, data] of fx.cacheBlocks) this.blocks.remember(id, data);
    this.freedBlocks.push(...fx.deleteBlocks);
    return result;
  }

  protected override afterRead(): void {
    if (this.activeReads === 0 && this.pendingBlockDeletes.length > 0) void this.runBlockDeletes();
  }

  private async runBlockDeletes(): Promise<void> {
    if (this.activeReads > 0) return;
    const ids = this.pendingBlockDeletes.splice(0);
    await Promise.all(ids.map((id) => this.blockStore.delete(id)));
  }

  private async txRow(tx: MetaReader, ino: InodeNumber): Promise<InodeRow> {
    const r = await tx.getInode(ino);
    if (!r) throw new FsError('ESTALE', `inode ${ino} does not exist`);
    return r;
  }

  private async txDir(tx: MetaReader, ino: InodeNumber): Promise<InodeRow> {
    const r = await this.txRow(tx, ino);
    if (r.type !== 'dir') throw new FsError('ENOTDIR', `inode ${ino} is not a directory`);
    return r;
  }

  private bump(r: InodeRow, t = now(), data = false): void {
    r.ctime = t;
    if (data) r.mtime = t;
    r.change++;
  }

  // ---------------------------------------------------------------- namespace

  private async newInode(
    tx: MetaWriter, fx: TxEffects, caller: Caller, parent: InodeRow, type: FileType, mode: number,
    extra: Partial<InodeRow> = {},
  ): Promise<InodeRow> {
    const t = now();
    let gid = caller.gid;
    let m = mode & 0o7777;
    if (parent.mode & S_ISGID) {
      gid = parent.gid;
      if (type === 'dir') m |= S_ISGID;
    } else if (caller.uid !== 0 && type !== 'dir' && !inGroup(caller, gid)) m &= ~S_ISGID;
    const row: Omit<InodeRow, 'ino'> = {
      type, mode: m, uid: caller.uid, gid, nlink: type === 'dir' ? 2 : 1, size: 0, used: 0, rdevMajor: 0,
      rdevMinor: 0, atime: t, mtime: t, ctime: t, btime: t, change: 1, generation: randomInt(1, 2 ** 31),
      parent: type === 'dir' ? parent.ino : null, target: null, verifier: null, ...extra,
    };
    const ino = await tx.insertInode(row);
    fx.count('inodes', 1);
    fx.usage(type, null, row.size);
    return { ...row, ino };
  }

  /** Adds `name` → child in dir (the caller checked the name is free). */
  private async addEntry(tx: MetaWriter, dir: InodeRow, name: string, child: InodeRow): Promise<void> {
    await tx.insertDirent(dir.ino, name, child.ino, child.type);
    if (child.type === 'dir') dir.nlink++;
    this.bump(dir, child.ctime, true);
    await tx.updateInode(dir);
  }

  /** Common start of every create-like operation: dir writable, name free. */
  private async prepareCreate(tx: MetaWriter, caller: Caller, dirIno: InodeNumber, name: string): Promise<InodeRow> {
    checkNewName(name);
    const dir = await this.writableDir(tx, caller, dirIno);
    if (await tx.getDirent(dirIno, name)) throw new FsError('EEXIST', name);
    return dir;
  }

  /** A directory the caller may add entries to. */
  private async writableDir(tx: MetaWriter, caller: Caller, dirIno: InodeNumber): Promise<InodeRow> {
    const dir = await this.txDir(tx, dirIno);
    requireAccess(caller, dir, W_OK | X_OK);
    if (dir.nlink === 0) throw new FsError('ENOENT', 'directory was removed');
    return dir;
  }

  private async finishCreate(
    tx: MetaWriter, fx: TxEffects, caller: Caller, dir: InodeRow, name: string, child: InodeRow, attrs?: SetAttr,
  ): Promise<Attr> {
    // Clients send a set of attributes with every create, most often empty once the mode is taken out.
    if (attrs && Object.keys(attrs).length > 0) await this.applySetattr(tx, fx, caller, child, attrs);
    await this.addEntry(tx, dir, name, child);
    return attrFromRow(child);
  }

  async create(caller: Caller, dirIno: InodeNumber, name: string, opts: CreateOptions): Promise<CreateResult> {
    checkNewName(name);
    return this.txn(async (tx, fx) => {
      const dir = await this.txDir(tx, dirIno);
      requireAccess(caller, dir, X_OK);
      const existing = await tx.getDirent(dirIno, name);
      if (existing) {
        const row = await this.txRow(tx, existing.ino);
        if (opts.verifier) {
          if (row.verifier && row.verifier.equals(opts.verifier)) return { attr: attrFromRow(row, this.dirty.get(row.ino)), created: false };
          throw new FsError('EEXIST', name);
        }
        if (opts.exclusive) throw new FsError('EEXIST', name);
        if (row.type === 'dir') throw new FsError('EISDIR', name);
        return { attr: attrFromRow(row, this.dirty.get(row.ino)), created: false };
      }
      // The name is known to be free: looked up just above, in this transaction.
      const d = await this.writableDir(tx, caller, dirIno);
      const child = await this.newInode(tx, fx, caller, d, 'file', opts.mode, { verifier: opts.verifier ?? null });
      return { attr: await this.finishCreate(tx, fx, caller, d, name, child, opts.attrs), created: true };
    });
  }

  async mkdir(caller: Caller, dirIno: InodeNumber, name: string, mode: number, attrs?: SetAttr): Promise<Attr> {
    return this.txn(async (tx, fx) => {
      const dir = await this.prepareCreate(tx, caller, dirIno, name);
      const child = await this.newInode(tx, fx, caller, dir, 'dir', mode);
      return this.finishCreate(tx, fx, caller, dir, name, child, attrs);
    });
  }

  async symlink(caller: Caller, dirIno: InodeNumber, name: string, target: string, attrs?: SetAttr): Promise<Attr> {
    if (target.length === 0 || Buffer.byteLength(target) > 4096) throw new FsError('ENAMETOOLONG', 'symlink target must be 1..4096 bytes');
    return this.txn(async (tx, fx) => {
      const dir = await this.prepareCreate(tx, caller, dirIno, name);
      const size = Buffer.byteLength(target);
      const child = await this.newInode(tx, fx, caller, dir, 'symlink', 0o777, { target, size, used: size });
      return this.finishCreate(tx, fx, caller, dir, name, child, attrs);
    });
  }

  async mknod(
    caller: Caller, dirIno: InodeNumber, name: string, type: 'fifo' | 'socket' | 'chr' | 'blk', mode: number,
    rdev = { major: 0, minor: 0 }, attrs?: SetAttr,
  ): Promise<Attr> {
    if ((type === 'chr' || type === 'blk') && caller.uid !== 0) throw new FsError('EPERM', 'only root creates device nodes');
    return this.txn(async (tx, fx) => {
      const dir = await this.prepareCreate(tx, caller, dirIno, name);
      const child = await this.newInode(tx, fx, caller, dir, type, mode, { rdevMajor: rdev.major, rdevMinor: rdev.minor });
      return this.finishCreate(tx, fx, caller, dir, name, child, attrs);
    });
  }

  async link(caller: Caller, ino: InodeNumber, dirIno: InodeNumber, name: string): Promise<Attr> {
    return this.txn(async (tx) => {
      const target = await this.txRow(tx, ino);
      if (target.type === 'dir') throw new FsError('EPERM', 'hard links to directories are not allowed');
      if (target.nlink === 0) throw new FsError('ENOENT', 'file was removed');
      if (target.nlink >= 65000) throw new FsError('EMLINK', 'too many links');
      const dir = await this.prepareCreate(tx, caller, dirIno, name);
      target.nlink++;
      this.bump(target);
      await tx.updateInode(target);
      await this.addEntry(tx, dir, name, target);
      return attrFromRow(target, this.dirty.get(ino));
    });
  }

  /** Looks up name in a directory the caller may modify, for removal. */
  private async victim(tx: MetaWriter, caller: Caller, dirIno: InodeNumber, name: string): Promise<{ dir: InodeRow; row: InodeRow }> {
    checkName(name);
    const dir = await this.txDir(tx, dirIno);
    requireAccess(caller, dir, W_OK | X_OK);
    const e = await tx.getDirent(dirIno, name);
    if (!e) throw new FsError('ENOENT', name);
    const row = await this.txRow(tx, e.ino);
    requireStickyOk(caller, dir, row);
    return { dir, row };
  }

  async unlink(caller: Caller, dirIno: InodeNumber, name: string): Promise<void> {
    if (name === '.' || name === '..') throw new FsError('EINVAL', `cannot unlink '${name}'`);
    await this.txn(async (tx, fx) => {
      const { dir, row } = await this.victim(tx, caller, dirIno, name);
      if (row.type === 'dir') throw new FsError('EISDIR', `${name} is a directory`);
      await tx.deleteDirent(dirIno, name);
      this.bump(dir, now(), true);
      await tx.updateInode(dir);
      await this.dropLink(tx, fx, row);
    });
  }

  async rmdir(caller: Caller, dirIno: InodeNumber, name: string): Promise<void> {
    if (name === '.') throw new FsError('EINVAL', "cannot remove '.'");
    if (name === '..') throw new FsError('ENOTEMPTY', "cannot remove '..'");
    await this.txn(async (tx, fx) => {
      const { dir, row } = await this.victim(tx, caller, dirIno, name);
      if (row.type !== 'dir') throw new FsError('ENOTDIR', `${name} is not a directory`);
      if (await tx.hasDirents(row.ino)) throw new FsError('ENOTEMPTY', name);
      await tx.deleteDirent(dirIno, name);
      dir.nlink--;
      this.bump(dir, now(), true);
      await tx.updateInode(dir);
      await this.destroy(tx, fx, row);
    });
  }

  /** One directory entry less: the inode goes when no entry and no open file refers to it. */
  private async dropLink(tx: MetaWriter, fx: TxEffects, row: InodeRow): Promise<void> {
    row.nlink--;
    this.bump(row);
    if (row.nlink > 0 || this.opens.has(row.ino)) await tx.updateInode(row);
    else await this.destroy(tx, fx, row);
  }

  private async destroy(tx: MetaWriter, fx: TxEffects, row: InodeRow): Promise<void> {
    if (row.type === 'file') {
      const change = await replaceRange(tx, row.ino, 0, FAR_END, []);
      await this.releaseBlocks(tx, fx, change.unreferenced);
      this.dropDirty(row.ino);
    }
    await tx.deleteXattrs(row.ino);
    await tx.deleteInode(row.ino);
    fx.count('inodes', -1);
    fx.usage(row.type, row.size, null);
  }

  private dropDirty(ino: InodeNumber): void {
    const d = this.dirty.get(ino);
    if (!d) return;
    this.budget.release(d.pendingBytes);
    d.pending = [];
    d.pendingBytes = 0;
    this.dirty.delete(ino);
  }

  async rename(caller: Caller, fromDir: InodeNumber, fromName: string, toDir: InodeNumber, toName: string): Promise<void> {
    checkNewName(toName);
    if (fromName === '.' || fromName === '..') throw new FsError('EINVAL', `cannot rename '${fromName}'`);
    await this.txn(async (tx, fx) => {
      const { dir: src, row } = await this.victim(tx, caller, fromDir, fromName);
      const dst = fromDir === toDir ? src : await this.txDir(tx, toDir);
      requireAccess(caller, dst, W_OK | X_OK);
      const moving = row.type === 'dir' && fromDir !== toDir;
      if (moving) {
        requireAccess(caller, row, W_OK); // its '..' changes
        await this.refuseOwnSubtree(tx, row.ino, toDir);
      }
      const existing = await tx.getDirent(toDir, toName);
      if (existing) {
        if (existing.ino === row.ino) return; // POSIX: renaming onto a link of the same file does nothing
        const old = await this.txRow(tx, existing.ino);
        requireStickyOk(caller, dst, old);
        if (row.type === 'dir') {
          if (old.type !== 'dir') throw new FsError('ENOTDIR', `${toName} is not a directory`);
          if (await tx.hasDirents(old.ino)) throw new FsError('ENOTEMPTY', toName);
        } else if (old.type === 'dir') throw new FsError('EISDIR', `${toName} is a directory`);
        await tx.deleteDirent(toDir, toName);
        if (old.type === 'dir') {
          dst.nlink--;
          await this.destroy(tx, fx, old);
        } else await this.dropLink(tx, fx, old);
      }
      await tx.deleteDirent(fromDir, fromName);
      await tx.insertDirent(toDir, toName, row.ino, row.type);
      const t = now();
      if (moving) {
        src.nlink--;
        dst.nlink++;
        row.parent = toDir;
      }
      this.bump(src, t, true);
      await tx.updateInode(src);
      if (dst !== src) {
        this.bump(dst, t, true);
        await tx.updateInode(dst);
      }
      this.bump(row, t);
      await tx.updateInode(row);
    });
  }

  /** EINVAL when `target` is `dir` itself or inside it. */
  private async refuseOwnSubtree(tx: MetaReader, dir: InodeNumber, target: InodeNumber): Promise<void> {
    let cur = target;
    for (;;) {
      if (cur === dir) throw new FsError('EINVAL', 'cannot move a directory into itself');
      if (cur === ROOT_INODE) return;
      cur = (await this.txDir(tx, cur)).parent ?? ROOT_INODE;
    }
  }

  // ---------------------------------------------------------------- attributes

  async setattr(caller: Caller, ino: InodeNumber, set: SetAttr): Promise<Attr> {
    const apply = () => this.txn(async (tx, fx) => {
      const row = await this.txRow(tx, ino);
      await this.applySetattr(tx, fx, caller, row, set);
      return attrFromRow(row, this.dirty.get(ino));
    });
    if (set.size === undefined) return apply();
    return this.inodeLock.run(ino, async () => {
      await this.flushLocked(ino);
      return apply();
    });
  }

  private async applySetattr(tx: MetaWriter, fx: TxEffects, caller: Caller, row: InodeRow, set: SetAttr): Promise<void> {
    const t = now();
    if (set.mode !== undefined) {
      if (!isOwnerOrRoot(caller, row)) throw new FsError('EPERM', 'only the owner may change the mode');
      let m = set.mode & 0o7777;
      if (caller.uid !== 0 && row.type !== 'dir' && !inGroup(caller, row.gid)) m &= ~S_ISGID;
      row.mode = m;
    }
    const newUid = set.uid ?? row.uid;
    const newGid = set.gid ?? row.gid;
    if (newUid !== row.uid && caller.uid !== 0) throw new FsError('EPERM', 'only root may change the owner');
    if (newGid !== row.gid && caller.uid !== 0 && !(caller.uid === row.uid && inGroup(caller, newGid))) {
      throw new FsError('EPERM', 'not allowed to change the group');
    }
    if ((newUid !== row.uid || newGid !== row.gid) && row.type === 'file') {
      row.mode &= ~S_ISUID;
      if (row.mode & 0o010) row.mode &= ~S_ISGID;
    }
    row.uid = newUid;
    row.gid = newGid;
    if (set.size !== undefined) await this.truncate(tx, fx, caller, row, set.size, t);
    for (const key of ['atime', 'mtime'] as const) {
      const v = set[key];
      if (v === undefined) continue;
      if (v === 'now') {
        if (!isOwnerOrRoot(caller, row) && allowedAccess(caller, row, W_OK) !== W_OK) throw new FsError('EACCES', 'cannot set times');
        row[key] = t;
      } else {
        if (!isOwnerOrRoot(caller, row)) throw new FsError('EPERM', 'only the owner may set explicit times');
        if (!Number.isInteger(v.sec) || v.nsec < 0 || v.nsec >= 1e9) throw new FsError('EINVAL', 'bad time');
        row[key] = { sec: v.sec, nsec: v.nsec };
      }
    }
    this.bump(row, t);
    await tx.updateInode(row);
  }

  private async truncate(tx: MetaWriter, fx: TxEffects, caller: Caller, row: InodeRow, size: number, t: ReturnType<typeof now>): Promise<void> {
    if (row.type === 'dir') throw new FsError('EISDIR', 'truncate of a directory');
    if (row.type !== 'file') throw new FsError('EINVAL', 'truncate of a special file');
    if (!Number.isSafeInteger(size) || size < 0) throw new FsError('EINVAL', 'bad size');
    if (size > MAX_FILE_SIZE) throw new FsError('EFBIG', 'file too large');
    requireIoAccess(caller, row, W_OK);
    if (size < row.size) {
      const change = await replaceRange(tx, row.ino, size, FAR_END, []);
      row.used += change.usedDelta;
      await this.releaseBlocks(tx, fx, change.unreferenced);
    }
    const d = this.dirty.get(row.ino);
    if (d) {
      this.budget.release(d.truncate(size));
      d.size = size;
      d.persistedSize = size;
    }
    fx.usage('file', row.size, size);
    row.size = size;
    row.mtime = t;
  }

  // ---------------------------------------------------------------- data

  async write(
    caller: Caller, ino: InodeNumber, offset: number, data: Buffer | readonly Buffer[], stability: Stability,
  ): Promise<WriteResult> {
    const parts = Buffer.isBuffer(data) ? [data] : data;
    const length = parts.reduce((n, p) => n + p.length, 0);
    const row = await this.row(ino);
    if (row.type === 'dir') throw new FsError('EISDIR', 'write to a directory');
    if (row.type !== 'file') throw new FsError('EINVAL', 'write to a special file');
    requireIoAccess(caller, row, W_OK);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new FsError('EINVAL', 'bad offset');
    if (offset + length > MAX_FILE_SIZE) throw new FsError('EFBIG', 'file too large');
    if (length > 0) {
      if (this.capacityBytes < ELASTIC_CAPACITY && (await this.usage()).meteredBytes + length > this.capacityBytes) {
        throw new FsError('ENOSPC', 'volume is full');
      }
      await this.budget.acquire(length);
      const d = this.dirtyFor(row);
      let grown = 0;
      let pos = offset;
      for (const part of parts) {
        if (part.length === 0) continue;
        const kept = retainable(part);
        grown += d.append(pos, kept) ?? d.put(pos, kept);
        pos += part.length;
      }
      this.budget.release(length - grown);
      d.size = Math.max(d.size, offset + length);
      const t = now();
      d.mtime = t;
      d.ctime = t;
      d.changes++;
      if (stability === 'unstable' && d.pendingBytes >= FLUSH_THRESHOLD) void this.flushInode(ino).catch(() => undefined);
    }
    if (stability !== 'unstable') {
      await this.commit(ino);
      return { count: length, committed: 'file_sync', attr: await this.getattr(ino) };
    }
    return { count: length, committed: 'unstable', attr: attrFromRow(row, this.dirty.get(ino)) };
  }

  private dirtyFor(row: InodeRow): DirtyFile {
    let d = this.dirty.get(row.ino);
    if (!d) {
      d = new DirtyFile(row.size);
      this.dirty.set(row.ino, d);
    }
    if (d.pending.length === 0) d.firstDirtyAt = Date.now();
    return d;
  }

  protected override dirtyOf(ino: InodeNumber): DirtyFile | undefined {
    return this.dirty.get(ino);
  }

  /** Committed usage plus the growth of files whose writes are still buffered. */
  override async usage(): Promise<Usage> {
    const u = await super.usage();
    for (const d of this.dirty.values()) {
      if (d.size === d.persistedSize) continue;
      const after = inodeUsage('file', d.size);
      const before = inodeUsage('file', d.persistedSize);
      u.logicalBytes += after.logical - before.logical;
      u.meteredBytes += after.metered - before.metered;
    }
    u.byClass.standard = u.meteredBytes;
    return u;
  }

  async commit(ino?: InodeNumber): Promise<void> {
    // A failed flush is reported as EIO, like one that failed in the background (flushErrors).
    let failed: unknown;
    await (ino === undefined ? this.flushAll() : this.flushInode(ino)).catch((e: unknown) => {
      failed = e;
    });
    await this.makeDurable(true);
    const failures = ino === undefined ? [...this.flushErrors.keys()] : this.flushErrors.has(ino) ? [ino] : [];
    if (failures.length > 0 || failed !== undefined) {
      const cause = failures.length > 0 ? this.flushErrors.get(failures[0]) : failed;
      for (const f of failures) this.flushErrors.delete(f);
      throw new FsError('EIO', 'buffered data could not be written', { cause });
    }
  }

  private async flushAll(): Promise<void> {
    await settleAll([...this.dirty.keys()].map((ino) => this.flushInode(ino)));
  }

  private flushInode(ino: InodeNumber): Promise<void> {
    return this.inodeLock.run(ino, () => this.flushLocked(ino));
  }

  /** Persists the buffered runs and attributes of one file; the caller holds its inode lock. */
  private async flushLocked(ino: InodeNumber): Promise<void> {
    const d = this.dirty.get(ino);
    if (!d) return;
    if (d.pending.length === 0 && d.changes === 0) {
      if (d.isClean) this.dirty.delete(ino);
      return;
    }
    const { runs, pieces } = d.takePending(BLOCK_SIZE);
    const bytes = pieces.reduce((n, p) => n + p.len, 0);
    try {
      const crowded = await this.writeRuns(ino, pieces, d);
      d.inflight.delete(runs);
      this.budget.release(bytes);
      if (d.isClean && this.dirty.get(ino) === d) this.dirty.delete(ino);
      await this.compact(ino, crowded);
    } catch (e) {
      d.inflight.delete(runs);
      const newer = d.pending;
      d.pending = [];
      d.pendingBytes = 0;
      for (const r of [...runs, ...newer]) d.put(r.pos, r.data);
      this.budget.release(bytes + newer.reduce((n, p) => n + p.data.length, 0) - d.pendingBytes);
      this.flushErrors.set(ino, e);
      throw e;
    }
  }

  /**
   * Writes runs as blocks (durably) or inline extents, then records them in one transaction. Returns the windows
   * that small writes left crowded (none if nothing was recorded). A `compaction` puts its new blocks in the
   * verified cache (it rewrites a window that is being read at random) and never asks for another.
   */
  private async writeRuns(
    ino: InodeNumber, pieces: readonly FlushPiece[], attrsFrom?: DirtyFile, compaction = false,
  ): Promise<number[]> {
    const newBlocks: BlockRef[] = [];
    const contents = new Map<string, Buffer>();
    let extents: ExtentRow[];
    try {
      extents = await settleAll(pieces.map(async (p): Promise<ExtentRow> => {
        if (p.len <= INLINE_MAX) return { ino, pos: p.pos, len: p.len, blockId: null, blockOff: 0, data: Buffer.concat(p.parts) };
        const id = randomBytes(12).toString('hex');
        const parts = compaction ? [Buffer.concat(p.parts, p.len)] : p.parts;
        newBlocks.push({ id, len: p.len, ...(await this.putBlock(id, parts)) });
        if (compaction) contents.set(id, parts[0]);
        return { ino, pos: p.pos, len: p.len, blockId: id, blockOff: 0, data: null };
      }));
    } catch (e) {
      // The blocks the other pieces wrote would never be referred to; no block write still reads the buffered data.
      await Promise.all(newBlocks.map((b) => this.blockStore.delete(b.id)));
      throw e;
    }
    let recorded = false;
    let crowded: number[] = [];
    try {
      // A transaction never references a block that is not on stable storage.
      await this.blockStore.sync(newBlocks.map((b) => b.id));
      await this.txn(async (tx, fx) => {
        const row = await tx.getInode(ino);
        if (!row) return; // removed meanwhile
        if (newBlocks.length > 0) {
          const seq = await tx.addCounter('seq', 1);
          for (const b of newBlocks) await tx.insertBlock({ ...b, refs: 0, createdSeq: seq, freedSeq: null });
        }
        const size = attrsFrom ? attrsFrom.size : row.size;
        for (const e of extents) {
          if (e.pos >= size) continue; // truncated away while being written
          if (e.pos + e.len > size) Object.assign(e, sliceTo(e, size));
          const change = await replaceRange(tx, ino, e.pos, e.pos + e.len, [e]);
          row.used += change.usedDelta;
          await this.releaseBlocks(tx, fx, change.unreferenced);
        }
        await this.dropUnusedNewBlocks(tx, fx, newBlocks);
        if (attrsFrom) {
          fx.usage('file', row.size, size);
          row.size = size;
          attrsFrom.persistedSize = size;
          if (attrsFrom.mtime) row.mtime = attrsFrom.mtime;
          if (attrsFrom.ctime) row.ctime = attrsFrom.ctime;
          row.change += attrsFrom.changes;
          attrsFrom.changes = 0;
        }
        await tx.updateInode(row);
        // Counted on the writer, whose pages are warm: the read connection re-reads them after every commit.
        if (!compaction) crowded = await crowdedWindows(tx, ino, pieces, this.compactAbove);
        for (const [id, data] of contents) fx.cacheBlocks.set(id, data);
        recorded = true;
      });
    } catch (e) {
      await Promise.all(newBlocks.map((b) => this.blockStore.delete(b.id)));
      throw e;
    }
    if (!recorded) await Promise.all(newBlocks.map((b) => this.blockStore.delete(b.id)));
    return recorded ? crowded : [];
  }

  /** Stores a block, returning its checksums: computed by the store where it can (the local store's block thread
   * writes and checksums it), else beside the write (its SHA-256 only: reads verify it by that). */
  private async putBlock(id: string, parts: readonly Buffer[]): Promise<{ sha256: Buffer; crc32s: Buffer | null }> {
    if (this.blockStore.putHashed) return this.blockStore.putHashed(id, parts);
    const [sha256] = await Promise.all([sha256Off(parts), this.blockStore.put(id, parts)]);
    return { sha256, crc32s: null };
  }

  /** New blocks whose run was truncated away before it was recorded. */
  private async dropUnusedNewBlocks(tx: MetaWriter, fx: TxEffects, blocks: ReadonlyArray<{ id: string }>): Promise<void> {
    for (const b of blocks) {
      const row = await tx.getBlock(b.id);
      if (row && row.refs === 0) {
        await tx.deleteBlock(b.id);
        fx.deleteBlocks.push(b.id);
      }
    }
  }

  /** Blocks whose last live reference went: kept while a snapshot holds them, deleted otherwise. */
  private async releaseBlocks(tx: MetaWriter, fx: TxEffects, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const seq = await tx.addCounter('seq', 1);
    for (const id of ids) {
      const b = await tx.getBlock(id);
      if (!b) continue;
      b.freedSeq = seq;
      if (this.held(b.createdSeq, seq)) await tx.updateBlock(b);
      else {
        await tx.deleteBlock(id);
        fx.deleteBlocks.push(id);
      }
    }
  }

  private held(createdSeq: number, freedSeq: number): boolean {
    return this.holds.some((s) => createdSeq <= s && s < freedSeq);
  }

  /** Rewrites block-sized windows that small writes fragmented into many extents. */
  private async compact(ino: InodeNumber, windows: readonly number[]): Promise<void> {
    for (const w of windows) {
      const start = w * BLOCK_SIZE;
      const extents = await this.store.reader.extentsIn(ino, start, start + BLOCK_SIZE);
      const runs: DirtyRun[] = [];
      // One view (one lease, blocks/hash-pool.ts) per block for the window's many extents in it; writeRuns copies
      // what it compacts, so the views are given back once it is done.
      const blocks = new Map<string, Buffer>();
      try {
        for (const e of extents) {
          const from = Math.max(e.pos, start);
          const to = Math.min(e.pos + e.len, start + BLOCK_SIZE);
          const src = e.data ?? (await this.windowBlock(blocks, e.blockId as string));
          const off = e.data ? from - e.pos : e.blockOff + (from - e.pos);
          runs.push({ pos: from, data: src.subarray(off, off + (to - from)) });
        }
        await this.writeRuns(ino, cutPieces(runs, BLOCK_SIZE), undefined, true);
      } finally {
        for (const b of blocks.values()) releaseBlockView(b);
      }
    }
  }

  private async windowBlock(blocks: Map<string, Buffer>, id: string): Promise<Buffer> {
    let b = blocks.get(id);
    if (!b) blocks.set(id, (b = await this.blockData(id)));
    return b;
  }

  async deallocate(caller: Caller, ino: InodeNumber, offset: number, length: number): Promise<Attr> {
    return this.inodeLock.run(ino, async () => {
      await this.flushLocked(ino);
      return this.txn(async (tx, fx) => {
        const row = await this.txRow(tx, ino);
        if (row.type !== 'file') throw new FsError(row.type === 'dir' ? 'EISDIR' : 'EINVAL', 'not a regular file');
        requireIoAccess(caller, row, W_OK);
        const end = Math.min(offset + length, row.size);
        if (end > offset) {
          const change = await replaceRange(tx, ino, offset, end, []);
          row.used += change.usedDelta;
          await this.releaseBlocks(tx, fx, change.unreferenced);
        }
        this.bump(row, now(), true);
        await tx.updateInode(row);
        return attrFromRow(row, this.dirty.get(ino));
      });
    });
  }

  async allocate(caller: Caller, ino: InodeNumber, offset: number, length: number): Promise<Attr> {
    // Space is elastic: allocating only guarantees the size covers the range, holes keep reading as zeros.
    const attr = await this.getattr(ino);
    if (offset + length > MAX_FILE_SIZE) throw new FsError('EFBIG', 'file too large');
    if (offset + length <= attr.size) {
      if (attr.type !== 'file') throw new FsError('EINVAL', 'not a regular file');
      return attr;
    }
    return this.setattr(caller, ino, { size: offset + length });
  }

  retain(ino: InodeNumber): void {
    this.opens.set(ino, (this.opens.get(ino) ?? 0) + 1);
  }

  async release(ino: InodeNumber): Promise<void> {
    const n = (this.opens.get(ino) ?? 0) - 1;
    if (n > 0) {
      this.opens.set(ino, n);
      return;
    }
    this.opens.delete(ino);
    if (this.dirty.has(ino)) await this.commit(ino);
    // Only an unlinked file needs a transaction at its last close.
    if ((await this.store.reader.getInode(ino))?.nlink !== 0) return;
    await this.txn(async (tx, fx) => {
      const r = await tx.getInode(ino);
      if (r && r.nlink === 0 && !this.opens.has(ino)) await this.destroy(tx, fx, r);
    });
  }

  // ---------------------------------------------------------------- xattrs

  async setxattr(caller: Caller, ino: InodeNumber, name: string, value: Buffer, mode: 'create' | 'replace' | 'either' = 'either'): Promise<void> {
    if (name.length === 0 || Buffer.byteLength(name) > 255) throw new FsError('ERANGE', 'bad attribute name');
    if (value.length > 64 * 1024) throw new FsError('E2BIG', 'attribute value larger than 64 KiB');
    await this.txn(async (tx) => {
      const row = await this.txRow(tx, ino);
      requireAccess(caller, row, W_OK);
      const exists = (await tx.getXattr(ino, name)) !== undefined;
      if (mode === 'create' && exists) throw new FsError('EEXIST', name);
      if (mode === 'replace' && !exists) throw new FsError('ENODATA', name);
      await tx.putXattr(ino, name, Buffer.from(value));
      this.bump(row);
      await tx.updateInode(row);
    });
  }

  async removexattr(caller: Caller, ino: InodeNumber, name: string): Promise<void> {
    await this.txn(async (tx) => {
      const row = await this.txRow(tx, ino);
      requireAccess(caller, row, W_OK);
      if (!(await tx.deleteXattr(ino, name))) throw new FsError('ENODATA', name);
      this.bump(row);
      await tx.updateInode(row);
    });
  }

  // ---------------------------------------------------------------- snapshots

  private snapshotPath(id: string): string {
    return join(this.dir, 'snapshots', `${id}.db`);
  }

  async snapshot(name?: string): Promise<SnapshotInfo> {
    // Flushing first keeps the pause (the copy below) free of data writes.
    await this.flushAll();
    const id = `snap-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const createdAt = new Date();
    let usage: Usage | undefined;
    await this.store.snapshot(this.snapshotPath(id), async (tx) => {
      const seq = await tx.getCounter('seq');
      usage = await this.usage();
      // The pause: a writer that flushes now waits for this copy, which holds the metadata lock.
      await tx.insertSnapshot({ id, name: name ?? id, seq, createdAt: createdAt.getTime(), usageJson: JSON.stringify(usage) });
      this.holds.push(seq);
    }).catch(async (e) => {
      this.holds = (await this.store.reader.listSnapshots()).map((s) => s.seq);
      throw e;
    });
    await this.makeDurable();
    return { id, name: name ?? id, createdAt, usage: usage as Usage };
  }

  async listSnapshots(): Promise<SnapshotInfo[]> {
    return (await this.store.reader.listSnapshots()).map((s) => ({
      id: s.id, name: s.name, createdAt: new Date(s.createdAt), usage: JSON.parse(s.usageJson) as Usage,
    }));
  }

  async openSnapshot(id: string): Promise<VolumeReader & { close(): Promise<void> }> {
    const meta = await this.openSnapshotMeta(id);
    const reader = new VolumeReaderImpl(meta, this.blocks, this.capacityBytes);
    return Object.assign(reader, { close: () => meta.close() });
  }

  async exportSnapshot(id: string): Promise<SnapshotExport> {
    const meta = await this.openSnapshotMeta(id);
    const blocks = this.blocks;
    return {
      metadataFile: this.snapshotPath(id),
      async *blocks() {
        for await (const b of meta.scanBlocks()) if (b.refs > 0) yield { id: b.id, sha256: b.sha256, len: b.len };
      },
      async readBlock(blockId: string) {
        const b = await meta.getBlock(blockId);
        if (!b) throw new FsError('ENOENT', `snapshot ${id} has no block ${blockId}`);
        return blocks.get(b);
      },
      close: () => meta.close(),
    };
  }

  private async openSnapshotMeta(id: string): Promise<MetaReader & { close(): Promise<void> }> {
    const known = (await this.store.reader.listSnapshots()).some((s) => s.id === id);
    if (!known) throw new FsError('ENOENT', `no snapshot ${id}`);
    return this.store.openReadOnly(this.snapshotPath(id));
  }

  async hydration(): Promise<HydrationStatus> {
    return (await this.hydrationScan()).status;
  }

  /** One pass over the block store and the block table: what is local, and the blocks still to fetch. */
  private async hydrationScan(): Promise<{ status: HydrationStatus; missing: BlockRef[] }> {
    const local = new Set<string>();
    for await (const b of this.blockStore.list()) local.add(b.id);
    const status: HydrationStatus = { blocksTotal: 0, blocksLocal: 0, bytesTotal: 0, bytesLocal: 0 };
    const missing: BlockRef[] = [];
    for await (const b of this.store.reader.scanBlocks()) {
      status.blocksTotal++;
      status.bytesTotal += b.len;
      if (local.has(b.id)) {
        status.blocksLocal++;
        status.bytesLocal += b.len;
      } else missing.push(b);
    }
    return { status, missing };
  }

  async hydrate(onProgress?: (s: HydrationStatus) => void): Promise<void> {
    const { status, missing } = await this.hydrationScan();
    onProgress?.({ ...status });
    const worker = async () => {
      for (let b = missing.pop(); b && !this.closed; b = missing.pop()) {
        await this.blocks.get(b);
        this.blocks.forget(b.id);
        status.blocksLocal++;
        status.bytesLocal += b.len;
        onProgress?.({ ...status });
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  async deleteSnapshot(id: string): Promise<void> {
    await this.txn(async (tx, fx) => {
      const snaps = await tx.listSnapshots();
      if (!snaps.some((s) => s.id === id)) throw new FsError('ENOENT', `no snapshot ${id}`);
      await tx.deleteSnapshot(id);
      this.holds = snaps.filter((s) => s.id !== id).map((s) => s.seq);
      for (const b of await tx.freedBlocks()) {
        if (this.held(b.createdSeq, b.freedSeq as number)) continue;
        await tx.deleteBlock(b.id);
        fx.deleteBlocks.push(b.id);
      }
    });
    await rm(this.snapshotPath(id), { force: true });
  }

  /** Snapshot files without a record (crash while deleting) or records without a file (crash while taking). */
  private async dropStaleSnapshots(): Promise<void> {
    const rows = await this.store.reader.listSnapshots();
    for (const s of rows) {
      if (!existsSync(this.snapshotPath(s.id))) await this.deleteSnapshot(s.id);
    }
    const known = new Set(rows.map((s) => `${s.id}.db`));
    const dir = join(this.dir, 'snapshots');
    for (const f of existsSync(dir) ? await readdir(dir) : []) {
      if (!known.has(f)) await rm(join(dir, f), { force: true });
    }
  }

  /** Block files no transaction recorded (a crash between writing a block and committing it). */
  private async sweepLeakedBlocks(): Promise<void> {
    for await (const b of this.blockStore.list()) {
      if (b.mtimeMs >= this.openedAt || this.closed) continue;
      if (!(await this.store.reader.getBlock(b.id))) await this.blockStore.delete(b.id);
    }
  }

  async fsck(opts: { verifyData?: boolean } = {}): Promise<FsckReport> {
    await this.flushAll();
    // The durable state is what is checked (block files freed by transactions not yet synced still exist).
    await this.makeDurable();
    return checkVolume({
      meta: this.store.reader, blocks: this.blockStore, verifyData: opts.verifyData ?? false,
      retained: new Set(this.opens.keys()), holds: this.holds, lazy: this.blocks.lazy,
    });
  }
}

/** Like Promise.all, but every promise has settled when the first failure is raised. */
async function settleAll<T>(promises: ReadonlyArray<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * Buffered writes keep the caller's buffer (the Volume contract: callers do not modify data after write()),
 * which spares a copy and fresh page faults per WRITE; only a small view into a much larger buffer is copied,
 * so that it does not pin the rest.
 */
function retainable(data: Buffer): Buffer {
  return data.buffer.byteLength > 2 * data.length + 65536 ? Buffer.from(data) : data;
}

function sliceTo(e: ExtentRow, size: number): Partial<ExtentRow> {
  const len = size - e.pos;
  return { len, data: e.data ? e.data.subarray(0, len) : null };
}

/** Block-sized windows touched by small pieces in which more than `limit` extents now begin. */
async function crowdedWindows(
  tx: MetaReader, ino: InodeNumber, pieces: readonly FlushPiece[], limit: number,
): Promise<number[]> {
  const windows = new Set<number>();
  for (const p of pieces) {
    if (p.len >= BLOCK_SIZE) continue;
    for (let w = Math.floor(p.pos / BLOCK_SIZE); w <= Math.floor((p.pos + p.len - 1) / BLOCK_SIZE); w++) windows.add(w);
  }
  const crowded: number[] = [];
  for (const w of windows) {
    if ((await tx.countExtents(ino, w * BLOCK_SIZE, (w + 1) * BLOCK_SIZE)) > limit) crowded.push(w);
  }
  return crowded;
}
