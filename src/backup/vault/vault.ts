// A region's vault: a content-addressed store of blobs (keyed by SHA-256 hex, packed together, every read
// verified) and one manifest per backup. Write order makes it crash-safe: pack data (fsync), then the
// pack's index, and a manifest only once every blob it names is durable.
import { sha256Hex } from './hash.ts';
import { VaultLocks, type HeldLock } from './job-lock.ts';
import { decodeManifest, encodeManifest, manifestBlobs, manifestKey, type Manifest } from './manifest.ts';
import { BlobIndex, decodePackIndex, newPackId, packIndexKey, packKey, type PackIndex } from './pack-index.ts';
import { VaultObjectNotFound, type VaultStore } from './store.ts';

export interface VaultOptions {
  /** Packs are cut at about this size (default 16 MiB); a larger blob gets a pack of its own. */
  packBytes?: number;
  /** The vault's clock in ms (tests inject one to age blobs past the grace period). */
  now?: () => number;
}

export type VaultErrorCode = 'BlobNotFound' | 'BlobCorrupt' | 'ManifestNotFound' | 'ManifestIncomplete';

export class VaultError extends Error {
  readonly code: VaultErrorCode;
  constructor(code: VaultErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
    this.name = 'VaultError';
  }
}

const DEFAULT_PACK_BYTES = 16 * 1024 * 1024;

export class Vault {
  readonly index = new BlobIndex();
  readonly locks: VaultLocks;
  readonly now: () => number;
  /** Index objects that could not be read at open (reported by verify). */
  readonly unreadableIndexes: string[] = [];
  private readonly packBytes: number;
  private pending: Array<{ hash: string; data: Buffer }> = [];
  private pendingHashes = new Map<string, Buffer>();
  private pendingBytes = 0;
  private flushing: Promise<void> = Promise.resolve();

  private constructor(readonly store: VaultStore, opts: VaultOptions) {
    this.packBytes = opts.packBytes ?? DEFAULT_PACK_BYTES;
    this.now = opts.now ?? Date.now;
    this.locks = new VaultLocks(store, this.now);
  }

  /** Loads every pack index (never pack data) and drops the locks of dead processes. */
  static async open(store: VaultStore, opts: VaultOptions = {}): Promise<Vault> {
    const vault = new Vault(store, opts);
    for (const o of await store.list('index/')) {
      try {
        vault.index.add(decodePackIndex(await store.get(o.key)));
      } catch {
        vault.unreadableIndexes.push(o.key);
      }
    }
    await vault.locks.removeDead();
    return vault;
  }

  has(hash: string): boolean {
    return this.index.has(hash) || this.pendingHashes.has(hash);
  }

  /**
   * Adds a blob unless the vault has it; returns whether bytes were written. The hash is checked unless the
   * caller has just verified these bytes against it (an engine block read, a verified vault read).
   */
  async put(hash: string, data: Buffer, opts: { verified?: boolean } = {}): Promise<boolean> {
    if (this.has(hash)) return false;
    if (!opts.verified && sha256Hex(data) !== hash) throw new VaultError('BlobCorrupt', `data does not match ${hash}`);
    this.pending.push({ hash, data });
    this.pendingHashes.set(hash, data);
    this.pendingBytes += data.length;
    if (this.pendingBytes >= this.packBytes) {
      // One pack is written while the next fills: wait for the previous write only. A failed write is
      // not lost silently: its blobs never reach the index, so the manifest that needs them is refused.
      await this.flushing.catch(() => undefined);
      this.flush().catch(() => undefined);
    }
    return true;
  }

  /** A blob's bytes, verified against its hash. */
  async get(hash: string): Promise<Buffer> {
    const buffered = this.pendingHashes.get(hash);
    if (buffered) return buffered;
    const loc = this.index.get(hash);
    if (!loc) throw new VaultError('BlobNotFound', hash);
    let data: Buffer;
    try {
      data = await this.store.get(packKey(loc.pack), { offset: loc.offset, length: loc.length });
    } catch (e) {
      if (e instanceof VaultObjectNotFound) throw new VaultError('BlobNotFound', `${hash}: pack ${loc.pack} is missing`, { cause: e });
      throw e;
    }
    if (data.length !== loc.length || sha256Hex(data) !== hash) throw new VaultError('BlobCorrupt', `${hash} in pack ${loc.pack}`);
    return data;
  }

  /** Makes every buffered blob durable: the pack first, then its index. */
  flush(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return this.flushing;
    this.pending = [];
    this.pendingBytes = 0;
    this.flushing = this.flushing.catch(() => undefined).then(() => this.writePack(batch)).finally(() => {
      for (const b of batch) if (this.pendingHashes.get(b.hash) === b.data) this.pendingHashes.delete(b.hash);
    });
    return this.flushing;
  }

  /** Writes blobs as one new pack and registers it (also used by the sweep to repack live blobs). */
  async writePack(blobs: Array<{ hash: string; data: Buffer }>): Promise<void> {
    const id = newPackId(this.now());
    const idx: PackIndex = { version: 1, pack: id, createdAt: this.now(), blobs: [] };
    let offset = 0;
    for (const b of blobs) {
      idx.blobs.push([b.hash, offset, b.data.length]);
      offset += b.data.length;
    }
    await this.store.put(packKey(id), Buffer.concat(blobs.map((b) => b.data)));
    await this.store.put(packIndexKey(id), Buffer.from(JSON.stringify(idx)));
    this.index.add(idx);
  }

  /** Writes a backup's manifest after checking that every blob it names is durable in the vault. */
  async putManifest(m: Manifest): Promise<void> {
    await this.flush();
    const missing = manifestBlobs(m).filter((b) => !this.index.has(b.sha256));
    if (missing.length > 0) throw new VaultError('ManifestIncomplete', `${m.backupId}: ${missing.length} blobs missing`);
    await this.store.put(manifestKey(m.backupId), encodeManifest(m));
  }

  async getManifest(backupId: string): Promise<Manifest> {
    try {
      return decodeManifest(await this.store.get(manifestKey(backupId)));
    } catch (e) {
      if (e instanceof VaultObjectNotFound) throw new VaultError('ManifestNotFound', backupId, { cause: e });
      throw e;
    }
  }

  hasManifest(backupId: string): Promise<boolean> {
    return this.store.exists(manifestKey(backupId));
  }

  async listManifestIds(): Promise<string[]> {
    return (await this.store.list('manifests/')).map((o) => o.key.slice('manifests/'.length, -'.json'.length));
  }

  /** Removes only the manifest; the blobs it alone referenced go at the next sweep. */
  deleteManifest(backupId: string): Promise<void> {
    return this.store.delete(manifestKey(backupId));
  }

  /** Held by a backup or copy from its first dedup decision until its manifest is written. */
  jobLock(): Promise<HeldLock> {
    return this.locks.shared();
  }

  /** Bytes the vault occupies (packs, indexes, manifests). */
  async sizeBytes(): Promise<number> {
    let total = 0;
    for (const prefix of ['packs/', 'index/', 'manifests/']) for (const o of await this.store.list(prefix)) total += o.size;
    return total;
  }
}
