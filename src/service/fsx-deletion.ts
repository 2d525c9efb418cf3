// DeleteFileSystem for FSx: a final (user-initiated, so kept) backup unless SkipFinalBackup, taken before
// the volume goes; afterwards the file system's AUTOMATIC backups are deleted with it (user-initiated ones
// outlive it) and a restore it came from no longer pins its backup.
import { checkBackupTags } from '../backup/backup-record.ts';
import { forgetRestore } from '../backup/restore.ts';
import { backupTags, type FsxBackups } from './backups.ts';
import { ServiceError } from './errors.ts';
import type { FileSystems } from './file-systems.ts';
import type { FileSystem, Scope, Tag } from './types.ts';

export interface DeleteFsxInput {
  skipFinalBackup?: boolean;
  finalBackupTags?: Tag[];
}

export interface DeletedFsx {
  fileSystem: FileSystem;
  finalBackupId?: string;
}

export function deleteFsxFileSystem(fileSystems: FileSystems, backups: FsxBackups, scope: Scope, id: string, input: DeleteFsxInput): DeletedFsx {
  const before = fileSystems.rows.get(scope, 'fsx', id);
  if (before.state === 'deleting') return { fileSystem: before };
  const scratch = String(before.fsx?.configuration.DeploymentType ?? '').startsWith('SCRATCH');
  const wantFinal = input.skipFinalBackup !== true && !scratch && before.state === 'available';
  const badTags = wantFinal ? checkBackupTags(backupTags(input.finalBackupTags ?? [])) : undefined;
  if (badTags !== undefined) throw new ServiceError('BadRequest', badTags);
  let finalBackupId: string | undefined;
  const svc = backups.backups;
  const fileSystem = fileSystems.delete(scope, 'fsx', id, {
    beforeDestroy: async () => {
      if (finalBackupId === undefined) return;
      const r = await svc.waitFor(scope.region, finalBackupId);
      if (r.lifecycle !== 'AVAILABLE') throw new ServiceError('InternalServerError', `The final backup ${finalBackupId} failed: ${r.failureMessage ?? r.lifecycle}.`);
    },
    afterDestroy: async () => {
      await svc.deleteFileSystemBackups(scope.region, id);
      forgetRestore(svc, id);
    },
  });
  // The delete was accepted (the background work starts after this turn): the final backup's snapshot is taken first.
  if (wantFinal) finalBackupId = backups.backupNow(before, 'USER_INITIATED', input.finalBackupTags ?? []).backupId;
  return { fileSystem, finalBackupId };
}
