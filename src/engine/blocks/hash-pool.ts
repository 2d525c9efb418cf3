// Checksums of blocks and whole-block reads on worker threads. A 4 MiB SHA-256 takes ~3 ms on the event loop, where
// it stalls every request; on a worker it runs in parallel with request handling. Data to hash or to write as a block
// is copied into a reused shared buffer (~0.2 ms per 4 MiB); the worker writes it to the block file and computes its
// SHA-256 and segment CRCs (segment-crc.js). A read computes the one checksum it is verified by.
//
// Block reads land in reused memory too: on this kind of machine, reading 4 MiB into fresh memory costs ~15 ms of
// page faults against ~1 ms into memory touched before. A read buffer is handed out (the verified cache keeps it,
// NFS replies are views of it until the socket has sent them), so it may be reused only once nothing refers to it
// any more, which the garbage collector knows: every read gets its own SharedArrayBuffer *object* (the worker posts
// the slot back, and each posted copy is a new object over the same memory); every view handed out keeps that object
// alive, and a FinalizationRegistry returns the slot to the pool once it is collected. When no slot is free the read
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

  /** The pool's own handles on the read slots; never handed out, so they never keep a slot busy. */
  private readonly readSlots: SharedArrayBuffer[] = [];
  private readonly freeReadSlots: number[] = [];
  private readonly leases = new FinalizationRegistry<number>((slot) => this.freeReadSlots.push(slot));

  private readSlot(): number | undefined {
    const free = this.freeReadSlots.pop();
    if (free !== undefined) return free;
    if (this.readSlots.length >= MAX_READ_SLOTS) return undefined;
    this.readSlots.push(alignedShared(SLOT_BYTES));
    return this.readSlots.length - 1;
  }

  async read(path: string, maxLen: number, check: BlockCheck): Promise<{ data: Buffer; digest: Buffer }> {
    const slot = maxLen >= MIN_SLOT_READ && maxLen <= SLOT_BYTES ? this.readSlot() : undefined;
    if (slot === undefined) {
      const r = await this.thread().run({ op: 'read', path, maxLen, check });
      return { data: Buffer.from(r.data as ArrayBuffer), digest: asBuffer(r.digest) };
    }
    let r: Raw;
    try {
      r = await this.thread().run({ op: 'readInto', path, maxLen, sab: this.readSlots[slot], check });
    } catch (e) {
      this.freeReadSlots.push(slot);
      throw e;
    }
    const lease = r.sab as SharedArrayBuffer;
    this.leases.register(lease, slot);
    return { data: Buffer.from(lease, 0, r.len as number), digest: asBuffer(r.digest) };
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
