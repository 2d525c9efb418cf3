// Checksums of blocks and whole-block reads on worker threads. A 4 MiB SHA-256 takes ~3 ms on the event loop, where
// it stalls every request; on a worker it runs in parallel with request handling. Data to hash or to write as a block
// is copied into a reused shared buffer (~0.2 ms per 4 MiB); the worker writes it to the block file and computes its
// SHA-256 and segment CRCs (segment-crc.js). A read computes the one checksum it is verified by.
//
// Block reads land in reused memory too: on this kind of machine a direct read of 4 MiB into fresh memory takes
// ~12 ms (page faults), into memory touched before ~3.7 ms. A read slot is handed out in leases: each holder (the
// verified cache, every reader it hands the block to) gets a SharedArrayBuffer *object* of its own over the slot's
// memory (a structured clone shares the memory), and the slot is reused once every lease is given back. A holder
// gives its lease back explicitly when it is done (the cache when the block leaves it, an NFS reply once the socket
// has sent it: releaseBlockView); a lease nobody gave back returns when the garbage collector finds its object dead
// (a FinalizationRegistry), so a view that is kept stays valid for as long as it is kept. (With the collector alone,
// slots came back too late: a sixth of a 1 GiB nfs-cat's blocks found none free.) When no slot is free the read
// goes to fresh memory, transferred from the worker, as it would without a pool.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { WorkerThread } from '../worker-thread.ts';

/** Hashing less than this on the event loop is cheaper than a round trip to a worker. */
const INLINE_HASH_MAX = 128 * 1024;
const SLOT_BYTES = 4 * 1024 * 1024;
/** Shared buffers kept for hashing and writing: bounds the memory of such jobs in flight (more wait for one). */
const MAX_SLOTS = 4;
const THREADS = Math.max(1, Math.min(2, availableParallelism()));
/** Read slots: the verified cache (64 MiB) plus blocks read ahead and replies still being sent. */
const MAX_READ_SLOTS = 24;
/** Smaller blocks are read into fresh memory (their page faults are few, a slot would be mostly empty). */
const MIN_SLOT_READ = 1024 * 1024;

/** Which checksum verifies a read: a block's segment CRCs where they are recorded, else its SHA-256. */
export type BlockCheck = 'crc32s' | 'sha256';

/** What a block write computes: the content's name, and the checksums reads verify. */
export interface BlockSums {
  sha256: Buffer;
  crc32s: Buffer;
}

/** What hash-worker.js does: SHA-256 of the first len bytes of a shared buffer that nobody touches until the
 * reply ('hash'), also their segment CRCs after writing them as a new file ('write'); or read a whole file (at most
 * maxLen bytes) into a new buffer or a slot, with the checksum asked for. */
type Job =
  | { op: 'hash'; sab: SharedArrayBuffer; len: number }
  | { op: 'write'; sab: SharedArrayBuffer; len: number; path: string }
  | { op: 'read'; path: string; maxLen: number; check: BlockCheck }
  | { op: 'readInto'; path: string; maxLen: number; sab: SharedArrayBuffer; check: BlockCheck };

// Not in the type libraries this project loads (no DOM); Node has it.
declare const WebAssembly: { Memory: new (d: { initial: number; maximum: number; shared: true }) => { buffer: SharedArrayBuffer } };

/**
 * Shared memory aligned to a page, as direct I/O needs (a plain SharedArrayBuffer's memory is only 16-byte aligned;
 * a WebAssembly memory is mapped whole pages).
 */
function alignedShared(bytes: number): SharedArrayBuffer {
  const pages = Math.ceil(bytes / 65536);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer;
}

export function sha256(...parts: readonly Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

type BlockThread = WorkerThread<Job, Raw>;

/** A reply as posted by the worker (checksums arrive as plain Uint8Arrays). */
type Raw = { sha256?: Uint8Array; crc32s?: Uint8Array; digest?: Uint8Array; data?: ArrayBuffer; sab?: SharedArrayBuffer; len?: number };

const asBuffer = (u: Uint8Array | undefined): Buffer => {
  if (!u) throw new Error('block thread reply lacks a checksum');
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
};

class BlockThreads {
  private threads: BlockThread[] = [];
  private readonly freeSlots: SharedArrayBuffer[] = [];
  private slotCount = 0;
  private readonly slotWaiters: Array<(s: SharedArrayBuffer) => void> = [];

  private thread(): BlockThread {
    this.threads = this.threads.filter((t) => !t.dead);
    const idle = this.threads.find((t) => t.load === 0);
    if (idle) return idle;
    if (this.threads.length < THREADS) {
      const t: BlockThread = new WorkerThread(new URL('./hash-worker.js', import.meta.url), 'block thread');
      this.threads.push(t);
      return t;
    }
    return this.threads.reduce((a, b) => (b.load < a.load ? b : a));
  }

  private async slot(): Promise<SharedArrayBuffer> {
    const free = this.freeSlots.pop();
    if (free) return free;
    if (this.slotCount < MAX_SLOTS) {
      this.slotCount++;
      return alignedShared(SLOT_BYTES);
    }
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private releaseSlot(s: SharedArrayBuffer): void {
    const next = this.slotWaiters.shift();
    if (next) next(s);
    else this.freeSlots.push(s);
  }

  async hash(parts: readonly Buffer[]): Promise<Buffer> {
    const len = parts.reduce((n, p) => n + p.length, 0);
    if (len <= INLINE_HASH_MAX) return sha256(...parts);
    return asBuffer((await this.inSlot(parts, len, (sab) => ({ op: 'hash', sab, len }))).sha256);
  }

  /** Writes the parts (at most a slot) as a new file and computes their checksums, both on a worker. */
  async write(path: string, parts: readonly Buffer[]): Promise<BlockSums> {
    const len = parts.reduce((n, p) => n + p.length, 0);
    const r = await this.inSlot(parts, len, (sab) => ({ op: 'write', sab, len, path }));
    return { sha256: asBuffer(r.sha256), crc32s: asBuffer(r.crc32s) };
  }

  /** Runs a job on the parts copied into a shared buffer: a pooled slot unless they are larger. */
  private async inSlot(parts: readonly Buffer[], len: number, job: (sab: SharedArrayBuffer) => Job): Promise<Raw> {
    const pooled = len <= SLOT_BYTES;
    const sab = pooled ? await this.slot() : alignedShared(len);
    try {
      const view = Buffer.from(sab);
      let at = 0;
      for (const p of parts) at += p.copy(view, at);
      return await this.thread().run(job(sab));
    } finally {
      if (pooled) this.releaseSlot(sab);
    }
  }

  readonly readSlots = new ReadSlots();

  async read(path: string, maxLen: number, check: BlockCheck): Promise<{ data: Buffer; digest: Buffer }> {
    const slotSized = maxLen >= MIN_SLOT_READ && maxLen <= SLOT_BYTES;
    const slot = slotSized ? this.readSlots.take() : undefined;
    if (slot === undefined) {
      if (slotSized) this.readSlots.freshReads++;
      const r = await this.thread().run({ op: 'read', path, maxLen, check });
      return { data: Buffer.from(r.data as ArrayBuffer), digest: asBuffer(r.digest) };
    }
    let r: Raw;
    try {
      r = await this.thread().run({ op: 'readInto', path, maxLen, sab: this.readSlots.memory(slot), check });
    } catch (e) {
      this.readSlots.untake(slot);
      throw e;
    }
    return { data: this.readSlots.lease(slot, r.sab as SharedArrayBuffer, 0, r.len as number), digest: asBuffer(r.digest) };
  }
}

/** One holder's handle on a read slot: its own SharedArrayBuffer object over the slot's memory. */
interface Lease {
  slot: number;
  returned: boolean;
}

/** The read slots and their leases (see the top of this file). */
class ReadSlots {
  /** The pool's own handles on the slots; never handed out, so they never keep a slot busy. */
  private readonly slots: SharedArrayBuffer[] = [];
  /** Per slot: leases not yet given back. */
  private readonly refs: number[] = [];
  private readonly free: number[] = [];
  private readonly leases = new WeakMap<SharedArrayBuffer, Lease>();
  private readonly collected = new FinalizationRegistry<Lease>((l) => this.giveBack(l));
  /** Reads that found no free slot (for tests and measurements). */
  freshReads = 0;

  get count(): number {
    return this.slots.length;
  }

  /** Leases not yet given back, over all slots. */
  get leased(): number {
    return this.refs.reduce((n, r) => n + r, 0);
  }

  take(): number | undefined {
    const free = this.free.pop();
    if (free !== undefined) return free;
    if (this.slots.length >= MAX_READ_SLOTS) return undefined;
    this.slots.push(alignedShared(SLOT_BYTES));
    this.refs.push(0);
    return this.slots.length - 1;
  }

  /** A slot taken but never leased (its read failed). */
  untake(slot: number): void {
    this.free.push(slot);
  }

  memory(slot: number): SharedArrayBuffer {
    return this.slots[slot];
  }

  /** A view of the slot through a new lease; handle is a SharedArrayBuffer object over its memory that nobody else holds. */
  lease(slot: number, handle: SharedArrayBuffer, offset: number, length: number): Buffer {
    const l: Lease = { slot, returned: false };
    this.refs[slot]++;
    this.leases.set(handle, l);
    this.collected.register(handle, l, l);
    return Buffer.from(handle, offset, length);
  }

  /** The same bytes through a lease of the caller's own; a view of anything but a slot as it is. */
  share(view: Buffer): Buffer {
    const l = this.leases.get(view.buffer as SharedArrayBuffer);
    if (!l) return view;
    if (l.returned) throw new Error('a block view was shared after it was released');
    return this.lease(l.slot, structuredClone(view.buffer as SharedArrayBuffer), view.byteOffset, view.length);
  }

  /** The holder of this view's lease is done with it (and with every view of the same lease). */
  release(view: Buffer): void {
    const l = this.leases.get(view.buffer as SharedArrayBuffer);
    if (!l || l.returned) return;
    this.collected.unregister(l);
    this.giveBack(l);
  }

  pooled(view: Buffer): boolean {
    return this.leases.has(view.buffer as SharedArrayBuffer);
  }

  private giveBack(l: Lease): void {
    if (l.returned) return;
    l.returned = true;
    if (--this.refs[l.slot] === 0) this.free.push(l.slot);
  }
}

let shared: BlockThreads | undefined;

/** SHA-256 of the concatenated parts, computed off the event loop (the parts are only read until it resolves). */
export function sha256Off(parts: readonly Buffer[]): Promise<Buffer> {
  shared ??= new BlockThreads();
  return shared.hash(parts);
}

/**
 * Writes the concatenated parts as a new file and returns their checksums, both off the event loop (direct I/O where
 * the file system allows: see hash-worker.js). Errors carry the errno code (EEXIST if the file exists).
 */
export function writeAndHash(path: string, parts: readonly Buffer[]): Promise<BlockSums> {
  shared ??= new BlockThreads();
  return shared.write(path, parts);
}

/**
 * A whole file (at most maxLen bytes) and the checksum asked for, read and computed off the event loop. Errors
 * carry the errno code of the failed call (ENOENT, ...).
 */
export function readAndHash(path: string, maxLen: number, check: BlockCheck): Promise<{ data: Buffer; digest: Buffer }> {
  shared ??= new BlockThreads();
  return shared.read(path, maxLen, check);
}

/**
 * The same bytes as a view from readAndHash (or from shareBlockView), under a lease of the caller's own: a holder
 * that releases its view does not take the bytes from under another. Views of other memory come back as they are.
 */
export function shareBlockView(view: Buffer): Buffer {
  return shared ? shared.readSlots.share(view) : view;
}

/**
 * The caller is done with this view and every other view of the same lease (it never reads them again): the read
 * slot may be reused as soon as no other lease holds it. Views of other memory are left to the garbage collector.
 */
export function releaseBlockView(view: Buffer): void {
  shared?.readSlots.release(view);
}

/** Whether the view is of a read slot (and so may be released, or reused once released). */
export function isPooledView(view: Buffer): boolean {
  return shared?.readSlots.pooled(view) ?? false;
}

/** How many read slots exist, how many leases on them are held, and how many reads found none free (tests and measurements). */
export function readSlotStats(): { slots: number; leased: number; freshReads: number } {
  const s = shared?.readSlots;
  return { slots: s?.count ?? 0, leased: s?.leased ?? 0, freshReads: s?.freshReads ?? 0 };
}
