// SHA-256 of blocks and whole-block reads on worker threads. A 4 MiB SHA-256 takes ~3 ms on the event loop, where it
// stalls every request; on a worker it runs in parallel with request handling. Data to hash or to write as a block
// is copied into a reused shared buffer (~0.2 ms per 4 MiB); the worker writes it to the block file and hashes it.
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

/** What hash-worker.js does: SHA-256 of the first len bytes of a shared buffer that nobody touches until the
 * reply, after writing them as a new file for 'write'; or read a whole file (at most maxLen bytes) into a new
 * buffer or a slot, with its SHA-256. */
type Job =
  | { op: 'hash'; sab: SharedArrayBuffer; len: number }
  | { op: 'write'; sab: SharedArrayBuffer; len: number; path: string }
  | { op: 'read'; path: string; maxLen: number }
  | { op: 'readInto'; path: string; maxLen: number; sab: SharedArrayBuffer };
type Done = { sha256: Buffer; data?: Buffer; sab?: SharedArrayBuffer; len?: number };

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

/** A reply as posted by the worker; `done` turns it into Buffers. */
type Raw = { sha256: Uint8Array; data?: ArrayBuffer; sab?: SharedArrayBuffer; len?: number };

function done(r: Raw): Done {
  const sha = Buffer.from(r.sha256.buffer, r.sha256.byteOffset, r.sha256.byteLength);
  return { sha256: sha, data: r.data ? Buffer.from(r.data) : undefined, sab: r.sab, len: r.len };
}

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
    return this.inSlot(parts, len, (sab) => ({ op: 'hash', sab, len }));
  }

  /** Writes the parts (at most a slot) as a new file and hashes them, both on a worker. */
  async write(path: string, parts: readonly Buffer[]): Promise<Buffer> {
    const len = parts.reduce((n, p) => n + p.length, 0);
    return this.inSlot(parts, len, (sab) => ({ op: 'write', sab, len, path }));
  }

  /** Runs a job on the parts copied into a shared buffer: a pooled slot unless they are larger. */
  private async inSlot(parts: readonly Buffer[], len: number, job: (sab: SharedArrayBuffer) => Job): Promise<Buffer> {
    const pooled = len <= SLOT_BYTES;
    const sab = pooled ? await this.slot() : alignedShared(len);
    try {
      const view = Buffer.from(sab);
      let at = 0;
      for (const p of parts) at += p.copy(view, at);
      return done(await this.thread().run(job(sab))).sha256;
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

  async read(path: string, maxLen: number): Promise<{ data: Buffer; sha256: Buffer }> {
    const slot = maxLen >= MIN_SLOT_READ && maxLen <= SLOT_BYTES ? this.readSlot() : undefined;
    if (slot === undefined) {
      const r = done(await this.thread().run({ op: 'read', path, maxLen }));
      return { data: r.data as Buffer, sha256: r.sha256 };
    }
    let r: Done;
    try {
      r = done(await this.thread().run({ op: 'readInto', path, maxLen, sab: this.readSlots[slot] }));
    } catch (e) {
      this.freeReadSlots.push(slot);
      throw e;
    }
    const lease = r.sab as SharedArrayBuffer;
    this.leases.register(lease, slot);
    return { data: Buffer.from(lease, 0, r.len as number), sha256: r.sha256 };
  }
}

let shared: BlockThreads | undefined;

/** SHA-256 of the concatenated parts, computed off the event loop (the parts are only read until it resolves). */
export function sha256Off(parts: readonly Buffer[]): Promise<Buffer> {
  shared ??= new BlockThreads();
  return shared.hash(parts);
}

/**
 * Writes the concatenated parts as a new file and returns their SHA-256, both off the event loop (direct I/O where
 * the file system allows: see hash-worker.js). Errors carry the errno code (EEXIST if the file exists).
 */
export function writeAndHash(path: string, parts: readonly Buffer[]): Promise<Buffer> {
  shared ??= new BlockThreads();
  return shared.write(path, parts);
}

/**
 * A whole file (at most maxLen bytes) and its SHA-256, read and hashed off the event loop. Errors carry the
 * errno code of the failed call (ENOENT, ...).
 */
export function readAndHash(path: string, maxLen: number): Promise<{ data: Buffer; sha256: Buffer }> {
  shared ??= new BlockThreads();
  return shared.read(path, maxLen);
}
