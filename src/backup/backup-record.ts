// A backup as the service layer sees it (the FSx Backup shape minus wire details).
import { randomBytes } from 'node:crypto';
import type { BackupType } from './vault/manifest.ts';

export type { BackupType } from './vault/manifest.ts';

export type BackupLifecycle = 'AVAILABLE' | 'CREATING' | 'TRANSFERRING' | 'DELETED' | 'FAILED' | 'PENDING' | 'COPYING';

export interface Tag {
  Key: string;
  Value: string;
}

export interface BackupRecord {
  backupId: string;
  region: string;
  fileSystemId: string;
  type: BackupType;
  lifecycle: BackupLifecycle;
  progressPercent: number;
  createdAt: Date;
  /** FailureDetails.Message when FAILED. */
  failureMessage?: string;
  /** The file system's description at backup time (opaque: owned by the caller). */
  fileSystem: unknown;
  tags: Tag[];
  sourceBackupId?: string;
  sourceRegion?: string;
  /** File data in the backup (SizeInBytes), known once AVAILABLE. */
  sizeBytes?: number;
  /** Bytes this backup added to its vault (what made it incremental). */
  bytesWritten?: number;
}

/** Lifecycles of a backup whose job has not finished. */
export const IN_PROGRESS: readonly BackupLifecycle[] = ['PENDING', 'CREATING', 'TRANSFERRING', 'COPYING'];

export function newBackupId(): string {
  return `backup-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** FSx backup names: up to 256 characters of letters, digits, white space and . + - = _ : / */
export function checkBackupTags(tags: readonly Tag[]): string | undefined {
  const name = tags.find((t) => t.Key === 'Name');
  if (name && (name.Value.length > 256 || !/^[\p{L}\p{N}\s.+\-=_:/]*$/u.test(name.Value))) {
    return 'Backup names have at most 256 characters: letters, white space, numbers and . + - = _ : /';
  }
  return undefined;
}
