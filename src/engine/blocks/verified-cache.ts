// Reads blocks through their recorded length and SHA-256, keeping recently verified blocks in a bounded
// LRU so that sequential reads of a large block read and hash it once.
import { FsError, isFsError, type BlockSource } from '../types.ts';
import { SharedBound } from '../meta/shared-bound.ts';
import { sha256, sha256Off } from './hash-pool.ts';
import type { BlockStore } from './store.ts';

export { sha256 };

/** Blocks being read ahead at once (each up to a block of memory until it is cached). */
const MAX_PREFETCH = 4;

/**
 * Verified blocks of every volume of the process under one bound (least recently used out first), so that what they
 * hold does not grow with the number of volumes being read (the read slots of hash-pool.ts are sized for it).
 */
const MAX_CACHED_BLOCK_BYTES = 64 * 1024 * 1024;
const sharedBlocks = new SharedBound<Buffer>(MAX_CACHED_BLOCK_BYTES);

export class VerifiedBlockReader {
  private readonly blocks = sharedBlocks.part<string>();
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

  /** The block if it is cached (verified when it was read, or written by this process); nothing is read. */
  cached(id: string): Buffer | undefined {
    const hit = this.blocks.get(id);
    if (hit) this.blocks.set(id, hit, hit.length); // now the most recently used
    return hit;
  }

  async get(id: string, len: number, hash: Buffer): Promise<Buffer> {
    const hit = this.cached(id);
    if (hit) return hit;
    let p = this.loading.get(id);
    if (!p) {
      p = this.load(id, len, hash);
      this.loading.set(id, p);
      void p.finally(() => this.loading.delete(id)).catch(() => undefined);
    }
    return p;
  }

  /** Starts loading a block a reader will probably ask for soon; skipped when enough are loading already. */
  prefetch(id: string, len: number, hash: Buffer): void {
    if (this.blocks.get(id) || this.loading.has(id) || this.prefetching >= MAX_PREFETCH) return;
    this.prefetching++;
    // A failure is not reported here: a reader that needs the block reads it again and gets the error.
    void this.get(id, len, hash).catch(() => undefined).finally(() => this.prefetching--);
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

  private async load(id: string, len: number, hash: Buffer): Promise<Buffer> {
    const data = await this.fetch(id, len, hash);
    this.blocks.set(id, data, data.length);
    return data;
  }

  private async fetch(id: string, len: number, hash: Buffer): Promise<Buffer> {
    let stored: { data: Buffer; sha256: Buffer } | undefined;
    try {
      if (this.store.getHashed) stored = await this.store.getHashed(id, len);
      else {
        const data = await this.store.get(id);
        stored = { data, sha256: await sha256Off([data]) };
      }
    } catch (e) {
      if (!isFsError(e, 'ENOENT')) throw e;
      if (!this.source) throw new FsError('EIO', `block ${id} is missing`, { cause: e });
    }
    if (stored) {
      if (stored.data.length !== len || !stored.sha256.equals(hash)) {
        throw new FsError('EIO', `block ${id} is damaged (length or SHA-256 mismatch)`);
      }
      return stored.data;
    }
    const data = await (this.source as BlockSource)(hash, len);
    if (data.length !== len || !(await sha256Off([data])).equals(hash)) {
      throw new FsError('EIO', `block ${id} fetched from the backup is damaged`);
    }
    await this.store.put(id, [data]);
    this.onFetched?.(id);
    return data;
  }
}
