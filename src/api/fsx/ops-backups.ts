// The FSx backup operations: CreateBackup, DescribeBackups, DeleteBackup, CopyBackup and
// CreateFileSystemFromBackup. The request's region is its SigV4 scope region (CopyBackup copies into it).
import type {
  CopyBackupRequest, CreateBackupRequest, CreateFileSystemFromBackupRequest, DescribeBackupsRequest, Filter,
} from '@aws-sdk/client-fsx';
import type { BackupType } from '../../backup/backup-service.ts';
import { ServiceError } from '../../service/errors.ts';
import type { BackupQuery } from '../../service/backups.ts';
import type { JsonObject } from '../../service/types.ts';
import type { Wire } from '../efs/wire-shapes.ts';
import { backupWire } from './backup-wire.ts';
import { tagsIn, wireOf, type FsxCall, type FsxHandler } from './fsx-call.ts';

const backupOf = (call: FsxCall) => (r: Parameters<typeof backupWire>[0]): Wire =>
  backupWire(r, call.service.accountId, (name) => call.service.ctx.config.regions.find((x) => x.name === name));

export const FSX_BACKUP_OPERATIONS: Readonly<Record<string, FsxHandler>> = {
  CreateBackup: (input, call) => {
    const i = input as unknown as CreateBackupRequest;
    if (i.VolumeId !== undefined) throw new ServiceError('UnsupportedOperation', 'Volume backups are not supported; back up a file system.');
    if (i.FileSystemId === undefined) throw new ServiceError('BadRequest', 'FileSystemId is required.');
    const r = call.service.backups.create(call.scope, { fileSystemId: i.FileSystemId, clientRequestToken: i.ClientRequestToken, tags: tagsIn(i.Tags) });
    return { Backup: backupOf(call)(r) };
  },

  DescribeBackups: (input, call) => {
    const i = input as unknown as DescribeBackupsRequest;
    const page = call.service.backups.describe(call.scope, { ...filters(i.Filters ?? []), backupIds: i.BackupIds, maxResults: i.MaxResults, nextToken: i.NextToken });
    return { Backups: page.items.map(backupOf(call)), NextToken: page.next };
  },

  DeleteBackup: async (input, call) => {
    const r = await call.service.backups.delete(call.scope, String(input.BackupId));
    return { BackupId: r.backupId, Lifecycle: 'DELETED' };
  },

  CopyBackup: (input, call) => {
    const i = input as unknown as CopyBackupRequest;
    // KmsKeyId is accepted and ignored: vault blobs are not encrypted per key yet.
    const r = call.service.backups.copy(call.scope, { sourceBackupId: String(i.SourceBackupId), sourceRegion: i.SourceRegion,
      copyTags: i.CopyTags, tags: tagsIn(i.Tags), clientRequestToken: i.ClientRequestToken });
    return { Backup: backupOf(call)(r) };
  },

  CreateFileSystemFromBackup: (input, call) => {
    const i = input as unknown as CreateFileSystemFromBackupRequest;
    const fs = call.service.restores.create(call.scope, {
      backupId: String(i.BackupId), subnetIds: i.SubnetIds ?? [], securityGroupIds: i.SecurityGroupIds, tags: tagsIn(i.Tags),
      storageCapacity: i.StorageCapacity, storageType: i.StorageType, clientRequestToken: i.ClientRequestToken, kmsKeyId: i.KmsKeyId,
      windowsConfiguration: input.WindowsConfiguration as JsonObject | undefined, lustreConfiguration: input.LustreConfiguration as JsonObject | undefined,
    });
    return { FileSystem: wireOf(call)(fs) };
  },
};

/** DescribeBackups filters: file-system-id, backup-type and file-system-type; the others name resources Fathom has not. */
function filters(list: readonly Filter[]): Pick<BackupQuery, 'fileSystemIds' | 'types' | 'fileSystemTypes'> {
  const q: Pick<BackupQuery, 'fileSystemIds' | 'types' | 'fileSystemTypes'> = {};
  for (const f of list) {
    const values = f.Values ?? [];
    if (f.Name === 'file-system-id') q.fileSystemIds = [...(q.fileSystemIds ?? []), ...values];
    else if (f.Name === 'backup-type') q.types = [...(q.types ?? []), ...values] as BackupType[];
    else if (f.Name === 'file-system-type') q.fileSystemTypes = [...(q.fileSystemTypes ?? []), ...values];
    else throw new ServiceError('BadRequest', `Filter ${String(f.Name)} is not supported by this deployment.`);
  }
  return q;
}
