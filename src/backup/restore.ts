// Restore: a new volume from a backup's manifest. The metadata file is reassembled from the vault and the
// engine makes the volume usable at once (O(metadata)); file data is fetched from the vault on first read
// and hydrated in the background. Until hydration completes the backup is pinned (BackupRestoring), and
// after a restart the volume is reopened with the same block source (restoreSource).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { restoreVolume, type BlockSource, type HydrationStatus, type Volume, type WriteBudget } from '../engine/index.ts';
import { BackupError } from './backup-errors.ts';
import type { BackupService } from './backup-service.ts';
import { getMetadataFile } from './metadata-chunks.ts';
import type { Manifest } from './vault/manifest.ts';
import type { Vault } from './vault/vault.ts';

export interface RestoreInput {
  region: string;
  backupId: string;
  /** The new file system's id and volume directory. */
  fileSystemId: string;
  dir: string;
  budget?: WriteBudget;
  onHydration?: (s: HydrationStatus) => void;
}

export interface RestoreResult {
  volume: Volume;
  manifest: Manifest;
  /** Settles when every block is local (or hydration failed; reads keep fetching lazily then). */
  hydrated: Promise<void>;
}

export async function restoreFileSystem(svc: BackupService, input: RestoreInput): Promise<RestoreResult> {
  const record = svc.getBackup(input.region, input.backupId);
  if (record.lifecycle !== 'AVAILABLE') throw new BackupError('BadRequest', `Backup ${input.backupId} is ${record.lifecycle}, not AVAILABLE.`);
  const vault = await svc.vaults.get(input.region);
  const manifest = await vault.getManifest(input.backupId);
  // Recorded before the volume exists: from now on the backup cannot be deleted under the restore.
  svc.records.putRestore({ fileSystemId: input.fileSystemId, region: input.region, backupId: input.backupId, hydrated: false });
  await mkdir(dirname(input.dir), { recursive: true });
  const tmp = await mkdtemp(join(dirname(input.dir), '.restore-'));
  try {
    const metadataFile = join(tmp, 'meta.db');
    await getMetadataFile(vault, manifest.metadata.chunks, metadataFile);
    const volume = await restoreVolume({
      dir: input.dir, id: input.fileSystemId, metadataFile, source: vaultBlockSource(vault), budget: input.budget,
    });
    return { volume, manifest, hydrated: hydrate(svc, input.fileSystemId, volume, input.onHydration) };
  } catch (e) {
    svc.records.deleteRestore(input.fileSystemId);
    throw e;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The restored file system was deleted: its backup is no longer pinned. */
export function forgetRestore(svc: BackupService, fileSystemId: string): void {
  svc.records.deleteRestore(fileSystemId);
  svc.hydration.delete(fileSystemId);
}

/** The block source to reopen a restored volume with (undefined: the volume was not restored from a backup). */
export async function restoreSource(svc: BackupService, fileSystemId: string): Promise<BlockSource | undefined> {
  const row = svc.records.getRestore(fileSystemId);
  return row && vaultBlockSource(await svc.vaults.get(row.region));
}

/** After a restart: continue hydrating a reopened restored volume if it was not complete. */
export function resumeHydration(svc: BackupService, fileSystemId: string, volume: Volume,
  onHydration?: (s: HydrationStatus) => void): Promise<void> | undefined {
  const row = svc.records.getRestore(fileSystemId);
  return row && !row.hydrated ? hydrate(svc, fileSystemId, volume, onHydration) : undefined;
}

/** Hydrates in the background; progress is kept in svc.hydration, completion in the restores table. */
function hydrate(svc: BackupService, fileSystemId: string, volume: Volume, onHydration?: (s: HydrationStatus) => void): Promise<void> {
  const note = (s: HydrationStatus): void => {
    svc.hydration.set(fileSystemId, s);
    onHydration?.(s);
  };
  return volume.hydrate(note).then(() => {
    const row = svc.records.getRestore(fileSystemId);
    if (row) svc.records.putRestore({ ...row, hydrated: true });
  });
}

/** How far a restored file system's hydration is (undefined: not restored, or not by this process yet). */
export function hydrationStatus(svc: BackupService, fileSystemId: string): (HydrationStatus & { percent: number }) | undefined {
  const s = svc.hydration.get(fileSystemId);
  if (!s) return svc.records.getRestore(fileSystemId)?.hydrated ? { blocksTotal: 0, blocksLocal: 0, bytesTotal: 0, bytesLocal: 0, percent: 100 } : undefined;
  return { ...s, percent: s.bytesTotal === 0 ? 100 : Math.floor((100 * s.bytesLocal) / s.bytesTotal) };
}

/** Blocks by content hash from the vault (which verifies every read). */
export function vaultBlockSource(vault: Vault): BlockSource {
  return async (sha256, len) => {
    const data = await vault.get(sha256.toString('hex'));
    if (data.length !== len) throw new Error(`vault blob ${sha256.toString('hex')} has ${data.length} bytes, expected ${len}`);
    return data;
  };
}
