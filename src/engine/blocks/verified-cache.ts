// Reads blocks through their recorded length and SHA-256, keeping recently verified blocks in a bounded
// LRU so that sequential reads of a large block read and hash it once.
import { createHash } from 'node:crypto';
import { FsError, isFsError, type BlockSource } from '../types.ts';
import type { BlockStore } from './store.ts';

export function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

export class VerifiedBlockReader {
  private readonly cache = new Map<string, Buffer>();
  private cachedBytes = 0;
  private readonly loading = new Map<string, Promise<Buffer>>();

  /** With a source (a volume restored from a backup), blocks not held locally are fetched and kept. */
  constructor(
    private readonly store: BlockStore,
    private readonly source?: BlockSource,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** Told of every block fetched from the source and stored locally (it still needs a sync). */
  onFetched?: (id: string) => void;

  get lazy(): boolean {
    return this.source !== undefined;
  }

  async get(id: string, len: number, hash: Buffer): Promise<Buffer> {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    let p = this.loading.get(id);
    if (!p) {
      p = this.load(id, len, hash);
      this.loading.set(id, p);
      void p.finally(() => this.loading.delete(id)).catch(() => undefined);
    }
    return p;
  }

  forget(id: string): void {
    const b = this.cache.get(id);
    if (b) {
      this.cache.delete(id);
      this.cachedBytes -= b.length;
    }
  }

  private async load(id: string, len: number, hash: Buffer): Promise<Buffer> {
    const data = await this.fetch(id, len, hash);
    if (data.length !== len || !sha256(data).equals(hash)) {
      throw new FsError('EIO', `block ${id} is damaged (length or SHA-256 mismatch)`);
    }
    this.cache.set(id, data);
    this.cachedBytes += data.length;
    while (this.cachedBytes > this.maxBytes) {
      const [oldId, old] = this.cache.entries().next().value as [string, Buffer];
      this.cache.delete(oldId);
      this.cachedBytes -= old.length;
    }
    return data;
  }

  private async fetch(id: string, len: number, hash: Buffer): Promise<Buffer> {
    try {
      return await this.store.get(id);
    } catch (e) {
      if (!isFsError(e, 'ENOENT')) throw e;
      if (!this.source) throw new FsError('EIO', `block ${id} is missing`, { cause: e });
    }
    const data = await this.source(hash, len);
    if (data.length !== len || !sha256(data).equals(hash)) {
      throw new FsError('EIO', `block ${id} fetched from the backup is damaged`);
    }
    await this.store.put(id, [data]);
    this.onFetched?.(id);
    return data;
  }
}
