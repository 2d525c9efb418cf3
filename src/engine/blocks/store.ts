// The BlockStore: immutable blobs by unique id. Stores are thin (local directory now, S3 later);
// checksums, caching and (later) compression or encryption wrap a store instead of living in each one.

export interface BlockStore {
  /** Stores a new block durably (on stable storage when the promise resolves). Ids are never reused. */
  put(id: string, data: Buffer): Promise<void>;
  /** The whole block; FsError('ENOENT') when this store does not hold it, 'EIO' when it cannot be read. */
  get(id: string): Promise<Buffer>;
  delete(id: string): Promise<void>;
  /** Every stored block id with its modification time (for sweeping blocks a crash left behind). */
  list(): AsyncIterable<{ id: string; mtimeMs: number }>;
}
