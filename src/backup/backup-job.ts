// One backup: snapshot the volume (writers pause only while the engine copies metadata), export the
// snapshot, put into the vault only the blobs it lacks, write the manifest, drop the snapshot.
import type { Volume } from '../engine/index.ts';
import { newProgress, type JobProgress, type ProgressCallback } from './job-progress.ts';
import { putMetadataFile } from './metadata-chunks.ts';
import type { BackupType, Manifest, ManifestBlock } from './vault/manifest.ts';
import type { Vault } from './vault/vault.ts';

export interface BackupJobInput {
  volume: Volume;
  vault: Vault;
  backupId: string;
  type: BackupType;
  region: string;
  fileSystemId: string;
  /** The file system's description and tags, stored opaque in the manifest. */
  fileSystem: unknown;
  tags: unknown;
  onProgress?: ProgressCallback;
  /** Called once the snapshot exists (the backup moves CREATING → TRANSFERRING). */
  onSnapshot?: () => void;
}

export interface JobResult {
  manifest: Manifest;
  progress: JobProgress;
}

const SNAPSHOT_PREFIX = 'backup:';
/** Blocks read from the snapshot at once (bounded memory: at most this many blocks of ≤ 4 MiB). */
const READ_AHEAD = 8;

export async function runBackup(input: BackupJobInput): Promise<JobResult> {
  const { volume, vault } = input;
  const lock = await vault.jobLock();
  try {
    const createdAt = new Date().toISOString();
    const snap = await volume.snapshot(`${SNAPSHOT_PREFIX}${input.backupId}`);
    try {
      input.onSnapshot?.();
      return await exportToVault(input, snap.id, createdAt);
    } finally {
      await volume.deleteSnapshot(snap.id);
    }
  } finally {
    await lock.release();
  }
}

async function exportToVault(input: BackupJobInput, snapshotId: string, createdAt: string): Promise<JobResult> {
  const exp = await input.volume.exportSnapshot(snapshotId);
  try {
    const blocks = new Map<string, { id: string; len: number }>();
    for await (const b of exp.blocks()) blocks.set(b.sha256.toString('hex'), { id: b.id, len: b.len });
    const progress = newProgress(blocks.size, [...blocks.values()].reduce((n, b) => n + b.len, 0));
    const metadata = await putMetadataFile(input.vault, exp.metadataFile);
    progress.bytesWritten += metadata.bytesWritten;
    const list: ManifestBlock[] = [];
    const entries = [...blocks];
    for (let i = 0; i < entries.length; i += READ_AHEAD) {
      const batch = entries.slice(i, i + READ_AHEAD);
      // Blocks the vault lacks are read in parallel (the engine verifies each against its hash), then stored in order.
      const data = await Promise.all(batch.map(([hash, b]) => (input.vault.has(hash) ? undefined : exp.readBlock(b.id))));
      for (const [j, [hash, b]] of batch.entries()) {
        const bytes = data[j];
        if (bytes && (await input.vault.put(hash, bytes, { verified: true }))) progress.bytesWritten += b.len;
        list.push({ sha256: hash, len: b.len });
        progress.blobsDone++;
        progress.bytesDone += b.len;
      }
      input.onProgress?.({ ...progress });
    }
    const manifest: Manifest = {
      version: 1, backupId: input.backupId, type: input.type, region: input.region, fileSystemId: input.fileSystemId,
      createdAt, completedAt: new Date().toISOString(), fileSystem: input.fileSystem, tags: input.tags,
      metadata: { size: metadata.size, chunks: metadata.chunks }, blocks: list, dataBytes: progress.bytesTotal,
    };
    await input.vault.putManifest(manifest);
    return { manifest, progress };
  } finally {
    await exp.close();
  }
}

/** Snapshots left by backups that a crash interrupted (not in `running`): they would pin blocks forever. */
export async function deleteStaleBackupSnapshots(volume: Volume, running: ReadonlySet<string>): Promise<number> {
  let n = 0;
  for (const s of await volume.listSnapshots()) {
    if (s.name.startsWith(SNAPSHOT_PREFIX) && !running.has(s.name.slice(SNAPSHOT_PREFIX.length))) {
      await volume.deleteSnapshot(s.id);
      n++;
    }
  }
  return n;
}
