// Mark and sweep: blobs that no manifest references and that are older than the grace period are
// removed. A pack that is all garbage is deleted (index first, then data); one that is mostly garbage has
// its live blobs rewritten into a new pack before the old one goes. Runs under the vault's exclusive lock
// so that no backup or copy is between its dedup decisions and its manifest.
import { manifestBlobs } from './manifest.ts';
import { packCreatedAt, packIndexKey, packKey, type PackIndex } from './pack-index.ts';
import type { Vault } from './vault.ts';

export interface SweepOptions {
  /** Blobs younger than this stay even when unreferenced (default one hour). */
  graceMs?: number;
  /** A pack whose garbage exceeds this fraction of its bytes is rewritten (default 0.25). */
  repackRatio?: number;
}

export interface SweepReport {
  /** False when a backup or copy held the vault: nothing was removed; sweep again later. */
  ran: boolean;
  packsDeleted: number;
  packsRewritten: number;
  blobsRemoved: number;
  bytesRemoved: number;
}

const HOUR_MS = 3600_000;

export async function sweepVault(vault: Vault, opts: SweepOptions = {}): Promise<SweepReport> {
  const report: SweepReport = { ran: false, packsDeleted: 0, packsRewritten: 0, blobsRemoved: 0, bytesRemoved: 0 };
  const lock = await vault.locks.exclusive();
  if (!lock) return report;
  try {
    await vault.flush();
    const live = await markLive(vault);
    const cutoff = vault.now() - (opts.graceMs ?? HOUR_MS);
    for (const idx of vault.index.packs()) {
      if (idx.createdAt > cutoff) continue;
      await sweepPack(vault, idx, live, opts.repackRatio ?? 0.25, report);
    }
    await removeOrphanPacks(vault, cutoff);
    report.ran = true;
    return report;
  } finally {
    await lock.release();
  }
}

/** Every blob any manifest names. An unreadable manifest stops the sweep: its blobs cannot be known. */
async function markLive(vault: Vault): Promise<Set<string>> {
  const live = new Set<string>();
  for (const id of await vault.listManifestIds()) {
    for (const b of manifestBlobs(await vault.getManifest(id))) live.add(b.sha256);
  }
  return live;
}

async function sweepPack(vault: Vault, idx: PackIndex, live: Set<string>, repackRatio: number, report: SweepReport): Promise<void> {
  const total = idx.blobs.reduce((n, b) => n + b[2], 0);
  const dead = idx.blobs.filter((b) => !live.has(b[0]) || vault.index.get(b[0])?.pack !== idx.pack);
  const deadBytes = dead.reduce((n, b) => n + b[2], 0);
  if (dead.length === 0 || (dead.length < idx.blobs.length && deadBytes <= total * repackRatio)) return;
  const keep = idx.blobs.filter((b) => !dead.includes(b));
  if (keep.length > 0) {
    const blobs = [];
    for (const [hash] of keep) blobs.push({ hash, data: await vault.get(hash) });
    await vault.writePack(blobs);
    report.packsRewritten++;
  } else report.packsDeleted++;
  // The index goes first: a crash before the data goes leaves an orphan pack, never an index naming nothing.
  await vault.store.delete(packIndexKey(idx.pack));
  vault.index.remove(idx.pack);
  await vault.store.delete(packKey(idx.pack));
  report.blobsRemoved += dead.filter((b) => !vault.index.has(b[0])).length;
  report.bytesRemoved += deadBytes;
}

/** Packs whose index was never written (a crash mid-backup) or already deleted (a crash mid-sweep). */
async function removeOrphanPacks(vault: Vault, cutoff: number): Promise<void> {
  const indexed = new Set(vault.index.packs().map((p) => p.pack));
  // A pack whose index exists but cannot be read is damage for verify to report, not garbage.
  for (const key of vault.unreadableIndexes) indexed.add(key.slice('index/'.length, -'.json'.length));
  for (const o of await vault.store.list('packs/')) {
    const pack = o.key.slice('packs/'.length, -'.pack'.length);
    if (!indexed.has(pack) && packCreatedAt(pack) <= cutoff) await vault.store.delete(o.key);
  }
}
