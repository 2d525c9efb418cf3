// What the backup scheduler sees of the service: FSx file systems get AUTOMATIC daily backups in their
// DailyAutomaticBackupStartTime window, kept AutomaticBackupRetentionDays; EFS file systems whose
// BackupPolicy is ENABLED get AWS_BACKUP daily backups (the reference's default plan keeps them 35 days).
import { BackupScheduler, type ScheduledFileSystem, type SchedulerHost } from '../backup/scheduler.ts';
import { backupTags, type FsxBackups } from './backups.ts';
import { describeForBackup } from './backed-up-file-system.ts';
import type { ServiceContext } from './context.ts';
import { ServiceError } from './errors.ts';
import type { FileSystems } from './file-systems.ts';
import type { FileSystem } from './types.ts';

export const EFS_BACKUP_RETENTION_DAYS = 35;

export function backupSchedulerHost(ctx: ServiceContext, fileSystems: FileSystems): SchedulerHost {
  return {
    fileSystems: () => Promise.resolve(fileSystems.rows.all().filter((fs) => fs.state === 'available').flatMap((fs) => scheduled(fs, fileSystems))),
    describe: (s) => {
      const fs = fileSystems.rows.all().find((f) => f.id === s.fileSystemId);
      const volume = ctx.volumes.get(s.fileSystemId);
      if (!fs || !volume) return Promise.reject(new ServiceError('FileSystemNotFound', `File system ${s.fileSystemId} is gone.`));
      const copyTags = fs.fsx?.configuration.CopyTagsToBackups === true;
      return Promise.resolve({ volume, fileSystem: describeForBackup(fs), tags: copyTags ? backupTags(fs.tags) : undefined });
    },
  };
}

function scheduled(fs: FileSystem, fileSystems: FileSystems): ScheduledFileSystem[] {
  if (fs.fsx) {
    const c = fs.fsx.configuration;
    const days = typeof c.AutomaticBackupRetentionDays === 'number' ? c.AutomaticBackupRetentionDays : 0;
    const start = typeof c.DailyAutomaticBackupStartTime === 'string' ? c.DailyAutomaticBackupStartTime : undefined;
    return [{ region: fs.region, fileSystemId: fs.id, dailyStartTime: start, retentionDays: days, type: 'AUTOMATIC' }];
  }
  const enabled = fileSystems.rows.getSetting(fs.id, 'backup_status') === 'ENABLED';
  return enabled ? [{ region: fs.region, fileSystemId: fs.id, retentionDays: EFS_BACKUP_RETENTION_DAYS, type: 'AWS_BACKUP' }] : [];
}

/** The server's scheduler (serve starts it with the real clock; tests pass their own and call tick()). */
export function createBackupScheduler(ctx: ServiceContext, fileSystems: FileSystems, backups: FsxBackups, now?: () => Date): BackupScheduler {
  return new BackupScheduler(backupSchedulerHost(ctx, fileSystems), backups.backups, now);
}
