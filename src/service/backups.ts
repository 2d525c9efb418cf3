// FSx backups as service resources: CreateBackup (with ClientRequestToken idempotency), DescribeBackups
// (ids, filters, pages), DeleteBackup and CopyBackup over the backup subsystem's BackupService, which holds
// the records, the vaults and the reference's rules (its BackupErrors carry the FSx error names).
import { createHash } from 'node:crypto';
import { IN_PROGRESS } from '../backup/backup-record.ts';
import type { BackupRecord, BackupService, BackupType, Tag as BackupTag } from '../backup/backup-service.ts';
import { describeForBackup } from './backed-up-file-system.ts';
import type { ServiceContext } from './context.ts';
import { stmt } from './control-db.ts';
import { ServiceError } from './errors.ts';
import type { FileSystems } from './file-systems.ts';
import { decodeToken, encodeToken, pageSize, type Page } from './pagination.ts';
import type { FileSystem, Scope, Tag } from './types.ts';

export interface CreateBackupRequest {
  fileSystemId: string;
  clientRequestToken?: string;
  tags?: Tag[];
}

export interface CopyBackupRequest {
  sourceBackupId: string;
  /** Default: the request's own region. */
  sourceRegion?: string;
  copyTags?: boolean;
  tags?: Tag[];
  clientRequestToken?: string;
}

export interface BackupQuery {
  backupIds?: string[];
  fileSystemIds?: string[];
  types?: BackupType[];
  fileSystemTypes?: string[];
  maxResults?: number;
  nextToken?: string;
}

const BACKUP_TYPES: readonly string[] = ['AUTOMATIC', 'USER_INITIATED', 'AWS_BACKUP'];

export class FsxBackups {
  constructor(private readonly ctx: ServiceContext, private readonly fileSystems: FileSystems, readonly backups: BackupService) {}

  create(scope: Scope, input: CreateBackupRequest): BackupRecord {
    return this.idempotent(scope, 'CreateBackup', input.clientRequestToken, input, () => {
      const fs = this.fileSystems.rows.get(scope, 'fsx', input.fileSystemId);
      if (fs.fsx?.configuration.DeploymentType?.toString().startsWith('SCRATCH')) {
        throw new ServiceError('BadRequest', `File system ${fs.id} is a scratch file system; scratch file systems cannot be backed up.`);
      }
      // The reference: one user-initiated backup of a file system at a time.
      const running = this.backups.describeBackups({ region: scope.region, fileSystemIds: [fs.id], types: ['USER_INITIATED'] })
        .find((b) => IN_PROGRESS.includes(b.lifecycle) && b.sourceBackupId === undefined);
      if (running) throw new ServiceError('BackupInProgress', `Backup ${running.backupId} of file system ${fs.id} is still ${running.lifecycle}; wait for it to complete.`);
      const copyTags = fs.fsx?.configuration.CopyTagsToBackups === true && (input.tags ?? []).length === 0;
      return this.backupNow(fs, 'USER_INITIATED', copyTags ? fs.tags : input.tags ?? []);
    });
  }

  /** A backup of an open, available file system (user-initiated, final or scheduled). */
  backupNow(fs: FileSystem, type: BackupType, tags: readonly Tag[]): BackupRecord {
    const volume = this.ctx.volumes.get(fs.id);
    if (fs.state !== 'available' || !volume) throw new ServiceError('BadRequest', `File system ${fs.id} is ${fs.state}, not AVAILABLE.`);
    return this.backups.createBackup({ region: fs.region, fileSystemId: fs.id, volume, type, fileSystem: describeForBackup(fs), tags: backupTags(tags) });
  }

  describe(scope: Scope, q: BackupQuery): Page<BackupRecord> {
    const unknownType = q.types?.find((t) => !BACKUP_TYPES.includes(t));
    if (unknownType !== undefined) throw new ServiceError('BadRequest', `Unknown backup-type ${unknownType}.`);
    const all = this.backups.describeBackups({ region: scope.region, backupIds: q.backupIds, fileSystemIds: q.fileSystemIds, types: q.types })
      .filter((r) => q.fileSystemTypes === undefined || q.fileSystemTypes.includes(fileSystemType(r)))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.backupId.localeCompare(b.backupId));
    const start = decodeToken(q.nextToken);
    const size = pageSize(q.maxResults);
    return { items: all.slice(start, start + size), next: start + size < all.length ? encodeToken(start + size) : undefined };
  }

  /** DeleteBackup through the FSx API: AWS_BACKUP backups are refused (the backup service deletes them). */
  delete(scope: Scope, backupId: string): Promise<BackupRecord> {
    return this.backups.deleteBackup(scope.region, backupId);
  }

  /** CopyBackup into the request's region (the SigV4 scope region). */
  copy(scope: Scope, input: CopyBackupRequest): BackupRecord {
    return this.idempotent(scope, 'CopyBackup', input.clientRequestToken, input, () => this.backups.copyBackup({
      region: scope.region, sourceRegion: input.sourceRegion ?? scope.region, sourceBackupId: input.sourceBackupId,
      copyTags: input.copyTags, tags: input.tags && backupTags(input.tags),
    }));
  }

  /** A repeated ClientRequestToken with the same request returns the first answer's backup. */
  private idempotent(scope: Scope, op: string, token: string | undefined, request: object, make: () => BackupRecord): BackupRecord {
    if (token === undefined) return make();
    const key = `${op}:${token}`;
    const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const row = stmt(this.ctx.db, 'SELECT fingerprint, backup_id FROM backup_tokens WHERE region = ? AND token = ?')
      .get(scope.region, key) as { fingerprint: string; backup_id: string } | undefined;
    if (row) {
      if (row.fingerprint !== fingerprint) throw new ServiceError('IncompatibleParameterError', `ClientRequestToken '${token}' was used with different parameters.`, { details: { Parameter: 'ClientRequestToken' } });
      return this.backups.getBackup(scope.region, row.backup_id);
    }
    const made = make();
    stmt(this.ctx.db, 'INSERT INTO backup_tokens (region, token, fingerprint, backup_id) VALUES (?, ?, ?, ?)').run(scope.region, key, fingerprint, made.backupId);
    return made;
  }
}

export function backupTags(tags: readonly Tag[]): BackupTag[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

function fileSystemType(r: BackupRecord): string {
  const fs = r.fileSystem as { type?: unknown } | null;
  return typeof fs?.type === 'string' ? fs.type : '';
}
