// A backup record in the FSx Backup shape (CLI JSON output and the FSx API adapter share it). FileSystem is
// the caller's own description, stored opaque at backup time.
import type { BackupRecord } from './backup-record.ts';

export interface FsxBackupShape {
  BackupId: string;
  Lifecycle: string;
  Type: string;
  ProgressPercent: number;
  CreationTime: string;
  FailureDetails?: { Message: string };
  Tags: Array<{ Key: string; Value: string }>;
  FileSystem: unknown;
  SourceBackupId?: string;
  SourceBackupRegion?: string;
  SizeInBytes?: number;
  ResourceARN?: string;
  OwnerId?: string;
}

export function fsxBackupShape(r: BackupRecord, extra: { resourceArn?: string; ownerId?: string } = {}): FsxBackupShape {
  return {
    BackupId: r.backupId, Lifecycle: r.lifecycle, Type: r.type, ProgressPercent: r.progressPercent, CreationTime: r.createdAt.toISOString(),
    ...(r.failureMessage !== undefined && { FailureDetails: { Message: r.failureMessage } }), Tags: r.tags, FileSystem: r.fileSystem,
    ...(r.sourceBackupId !== undefined && { SourceBackupId: r.sourceBackupId, SourceBackupRegion: r.sourceRegion }),
    ...(r.sizeBytes !== undefined && { SizeInBytes: r.sizeBytes }),
    ...(extra.resourceArn !== undefined && { ResourceARN: extra.resourceArn }),
    ...(extra.ownerId !== undefined && { OwnerId: extra.ownerId }),
  };
}
