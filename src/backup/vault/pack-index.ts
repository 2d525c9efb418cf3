// Packs hold many blobs back to back; each pack has a small index object (written after the pack, so an
// index never names bytes that are not durable). Loading every index object at open is the vault's whole
// blob index: opening never reads pack data.
import { randomBytes } from 'node:crypto';

export interface PackIndex {
  version: 1;
  pack: string;
  /** ms since the epoch (the vault's clock): how old the blobs are, for the sweep's grace period. */
  createdAt: number;
  /** [sha256 hex, offset, length] */
  blobs: Array<[string, number, number]>;
}

export interface BlobLocation {
  pack: string;
  offset: number;
  length: number;
}

export const packKey = (pack: string): string => `packs/${pack}.pack`;
export const packIndexKey = (pack: string): string => `index/${pack}.json`;

/** Pack ids start with their creation time (ms, hex), so a pack whose index was never written can be aged. */
export function newPackId(nowMs: number): string {
  return `${nowMs.toString(16).padStart(12, '0')}-${randomBytes(6).toString('hex')}`;
}

export function packCreatedAt(pack: string): number {
  return parseInt(pack.split('-')[0], 16);
}

export function decodePackIndex(data: Buffer): PackIndex {
  const v = JSON.parse(data.toString('utf8')) as PackIndex;
  if (v.version !== 1 || typeof v.pack !== 'string' || !Array.isArray(v.blobs)) throw new Error('bad pack index');
  return v;
}

/** The in-memory hash → location map, and per pack what it holds. */
export class BlobIndex {
  private readonly byHash = new Map<string, BlobLocation>();
  private readonly byPack = new Map<string, PackIndex>();

  add(idx: PackIndex): void {
    this.byPack.set(idx.pack, idx);
    for (const [hash, offset, length] of idx.blobs) {
      if (!this.byHash.has(hash)) this.byHash.set(hash, { pack: idx.pack, offset, length });
    }
  }

  /** Forgets a pack; blobs that also live in another pack point there instead. */
  remove(pack: string): void {
    const idx = this.byPack.get(pack);
    if (!idx) return;
    this.byPack.delete(pack);
    for (const [hash] of idx.blobs) {
      if (this.byHash.get(hash)?.pack !== pack) continue;
      this.byHash.delete(hash);
      const other = this.findElsewhere(hash);
      if (other) this.byHash.set(hash, other);
    }
  }

  get(hash: string): BlobLocation | undefined {
    return this.byHash.get(hash);
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  packs(): PackIndex[] {
    return [...this.byPack.values()];
  }

  get blobCount(): number {
    return this.byHash.size;
  }

  private findElsewhere(hash: string): BlobLocation | undefined {
    for (const idx of this.byPack.values()) {
      const hit = idx.blobs.find((b) => b[0] === hash);
      if (hit) return { pack: idx.pack, offset: hit[1], length: hit[2] };
    }
    return undefined;
  }
}
