// Copies a backup between two vaults (another region's, or the same one): only blobs the destination
// lacks are read and written, so the first copy to a region is full and later ones are incremental.
import { newProgress, type ProgressCallback } from './job-progress.ts';
import type { JobResult } from './backup-job.ts';
import { manifestBlobs, type Manifest } from './vault/manifest.ts';
import type { Vault } from './vault/vault.ts';

export interface CopyJobInput {
  source: Vault;
  dest: Vault;
  sourceBackupId: string;
  sourceRegion: string;
  /** The copy's own id and region. */
  backupId: string;
  region: string;
  tags: unknown;
  onProgress?: ProgressCallback;
}

/** Blobs read from the source vault at once. */
const READ_AHEAD = 8;

export async function runCopy(input: CopyJobInput): Promise<JobResult> {
  const sourceLock = await input.source.jobLock();
  try {
    const destLock = input.dest === input.source ? undefined : await input.dest.jobLock();
    try {
      return await copyBlobs(input, await input.source.getManifest(input.sourceBackupId));
    } finally {
      await destLock?.release();
    }
  } finally {
    await sourceLock.release();
  }
}

async function copyBlobs(input: CopyJobInput, src: Manifest): Promise<JobResult> {
  const blobs = manifestBlobs(src);
  const progress = newProgress(blobs.length, blobs.reduce((n, b) => n + b.len, 0));
  for (let i = 0; i < blobs.length; i += READ_AHEAD) {
    const batch = blobs.slice(i, i + READ_AHEAD);
    const data = await Promise.all(batch.map((b) => (input.dest.has(b.sha256) ? undefined : input.source.get(b.sha256))));
    for (const [j, b] of batch.entries()) {
      const bytes = data[j];
      if (bytes && (await input.dest.put(b.sha256, bytes, { verified: true }))) progress.bytesWritten += b.len;
      progress.blobsDone++;
      progress.bytesDone += b.len;
    }
    input.onProgress?.({ ...progress });
  }
  const manifest: Manifest = {
    ...src, backupId: input.backupId, type: 'USER_INITIATED', region: input.region, completedAt: new Date().toISOString(),
    sourceBackupId: input.sourceBackupId, sourceRegion: input.sourceRegion, tags: input.tags,
  };
  await input.dest.putManifest(manifest);
  return { manifest, progress };
}
