// The BlockStore: immutable blobs by unique id. Stores are thin (local directory now, S3 later);
// checksums, caching and (later) compression or encryption wrap a store instead of living in each one.
import type { BlockCheck, BlockSums } from './hash-pool.ts';

export interface BlockStore {
  /**
   * Stores a new block, the concatenation of parts. Once put resolves the block is complete and readable (never
   * half-written), but it is on stable storage only after sync(). Ids are never reused.
   */
  put(id: string, parts: readonly Buffer[]): Promise<void>;
  /**
   * Optional: put, resolving to the block's checksums computed where it costs the caller nothing (the local store
   * writes and hashes it on a worker thread).
   */
  putHashed?(id: string, parts: readonly Buffer[]): Promise<BlockSums>;
  /** Makes the given blocks durable (batched: one call for everything a commit needs). */
  sync(ids: readonly string[]): Promise<void>;
  /** The whole block; FsError('ENOENT') when this store does not hold it, 'EIO' when it cannot be read. */
  get(id: string): Promise<Buffer>;
  /**
   * Optional: the whole block and the checksum asked for, computed where it costs the caller nothing (the local
   * store reads and checksums on a worker thread). Same errors as get; a block longer than maxLen is 'EIO'.
   */
  getHashed?(id: string, maxLen: number, check: BlockCheck): Promise<{ data: Buffer; digest: Buffer }>;
  delete(id: string): Promise<void>;
  /** Every stored block id with its modification time (for sweeping blocks a crash left behind). */
  list(): AsyncIterable<{ id: string; mtimeMs: number }>;
}
