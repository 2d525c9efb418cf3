// The one narrow interface a vault needs from where it keeps objects (a local directory now, an S3 bucket
// later): named immutable objects, written atomically, read by range, listed by prefix.

export interface VaultObject {
  key: string;
  size: number;
}

export interface ByteRange {
  offset: number;
  length: number;
}

export interface VaultStore {
  /** Writes the whole object atomically and durably: readers see the old object, no object, or all of `data`. */
  put(key: string, data: Buffer): Promise<void>;
  /** The object's bytes (or a range of them); VaultObjectNotFound when it does not exist. */
  get(key: string, range?: ByteRange): Promise<Buffer>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<VaultObject[]>;
  exists(key: string): Promise<boolean>;
}

export class VaultObjectNotFound extends Error {
  readonly key: string;
  constructor(key: string, options?: { cause?: unknown }) {
    super(`vault object not found: ${key}`, options);
    this.key = key;
    this.name = 'VaultObjectNotFound';
  }
}
