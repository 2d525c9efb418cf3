// Reads blocks through their recorded length and checksums (segment CRCs where recorded, else SHA-256), keeping
// recently verified blocks in a bounded LRU so that sequential reads of a large block read and verify it once.
// A block read into a pooled slot (hash-pool.ts) is handed out only under a lease of the caller's own, and the cache
// gives back its own lease when the block leaves it: the slot is reused once the readers have released theirs.
import { FsError, isFsError, type BlockSource } from '../types.ts';
import { SharedBound } from '../meta/shared-bound.ts';
import { isPooledView, releaseBlockView, sha256, sha256Off, shareBlockView } from './hash-pool.ts';
import { segmentCrcs } from './segment-crc.js';
import type { BlockStore } from './store.ts';

export { sha256 };

/** What a block is checked against: its recorded length and checksums (a BlockRow has them). */
export interface BlockRef {
  id: string;
  len: number;
  sha256: Buffer;
  crc32s: Buffer | null;
}

/** Blocks being read ahead at once (each up to a block of memory until it is cached). */
const MAX_PREFETCH = 4;

/**
 * Verified blocks of every volume of the process under one bound (least recently used out first), so that what they
 * hold does not grow with the number of volumes being read (the read slots of hash-pool.ts are sized for it).
 */
const MAX_CACHED_BLOCK_BYTES = 64 * 1024 * 1024;
const sharedBlocks = new SharedBound<Buffer>(MAX_CACHED_BLOCK_BYTES);

export class VerifiedBlockReader {
  private readonly blocks = sharedBlocks.part<string>(releaseBlockView);
  private readonly loading = new Map<string, Promise<Buffer>>();
  private prefetching = 0;

  /** With a source (a volume restored from a backup), blocks not held locally are fetched and kept. */
  constructor(
    private readonly store: BlockStore,
    private readonly source?: BlockSource,
  ) {}

  /** Told of every block fetched from the source and stored locally (it still needs a sync). */
  onFetched?: (id: string) => void;

  get lazy(): boolean {
    return this.source !== undefined;
  }

  /**
   * The block if it is cached (verified when it was read, or written by this process); nothing is read. The caller
   * may give the view back with releaseBlockView once it no longer reads it (else the garbage collector does).
   */
  cached(id: string): Buffer | undefined {
    const hit = this.blocks.get(id);
    if (!hit) return undefined;
    this.blocks.touch(id); // now the most recently used
    return shareBlockView(hit);
  }

  /** The block, read and verified unless cached; released like cached()'s. */
  async get(b: BlockRef): Promise<Buffer> {
    for (;;) {
      const hit = this.cached(b.id);
      if (hit) return hit;
      const data = await this.loaded(b);
      // Pooled memory is handed out only through the cache; a block that left it before this caller resumed (its
      // slot may be in use again) is read once more.
      if (!isPooledView(data)) return data;
    }
  }

  /** The block as the cache holds it once loaded (not to be handed out: see get). */
  private loaded(b: BlockRef): Promise<Buffer> {
    let p = this.loading.get(b.id);
    if (!p) {
      p = this.load(b);
      this.loading.set(b.id, p);
      void p.finally(() => this.loading.delete(b.id)).catch(() => undefined);
    }
    return p;
  }

  /** Starts loading a block a reader will probably ask for soon; skipped when enough are loading already. */
  prefetch(b: BlockRef): void {
    if (this.blocks.get(b.id) || this.loading.has(b.id) || this.prefetching >= MAX_PREFETCH) return;
    this.prefetching++;
    // A failure is not reported here: a reader that needs the block reads it again and gets the error.
    void this.loaded(b).catch(() => undefined).finally(() => this.prefetching--);
  }

  /**
   * A block this process has just written from `data` (which it hashed itself, so nothing read back needs
   * checking): cached so that the next read of it reads nothing. The caller no longer modifies data.
   */
  remember(id: string, data: Buffer): void {
    if (this.blocks.get(id) || data.length > MAX_CACHED_BLOCK_BYTES / 4) return;
    this.blocks.set(id, data, data.length);
  }

  forget(id: string): void {
    this.blocks.delete(id);
  }

  /** Takes this reader's blocks out of the shared cache (its volume is closing). */
  release(): void {
    this.blocks.clear();
  }

  private async load(b: BlockRef): Promise<Buffer> {
    const data = await this.fetch(b);
    this.blocks.set(b.id, data, data.length);
    return data;
  }

  private async fetch(b: BlockRef): Promise<Buffer> {
    let stored: Buffer | undefined;
    try {
      stored = await this.readVerified(b);
    } catch (e) {
      if (!isFsError(e, 'ENOENT')) throw e;
      if (!this.source) throw new FsError('EIO', `block ${b.id} is missing`, { cause: e });
    }
    if (stored) return stored;
    const data = await (this.source as BlockSource)(b.sha256, b.len);
    if (data.length !== b.len || !(await sha256Off([data])).equals(b.sha256)) {
      throw new FsError('EIO', `block ${b.id} fetched from the backup is damaged`);
    }
    await this.store.put(b.id, [data]);
    this.onFetched?.(b.id);
    return data;
  }

  /** The block as stored, checked against its segment CRCs where recorded, else its SHA-256. */
  private async readVerified(b: BlockRef): Promise<Buffer> {
    const check = b.crc32s ? 'crc32s' : 'sha256';
    let got: { data: Buffer; digest: Buffer };
    if (this.store.getHashed) got = await this.store.getHashed(b.id, b.len, check);
    else {
      const data = await this.store.get(b.id);
      got = { data, digest: check === 'crc32s' ? segmentCrcs(data) : await sha256Off([data]) };
    }
    if (got.data.length !== b.len || !got.digest.equals(b.crc32s ?? b.sha256)) {
      releaseBlockView(got.data);
      throw new FsError('EIO', `block ${b.id} is damaged (length or ${check === 'crc32s' ? 'segment CRC' : 'SHA-256'} mismatch)`);
    }
    return got.data;
  }
}
