// File systems: creation (volume created asynchronously: creating → available), description with the
// engine's accounting, updates, and deletion (deleting → gone). EFS and FSx share this lifecycle.
import type { ServiceContext } from './context.ts';
import { ServiceError } from './errors.ts';
import { FileSystemRows, type ApiFamily } from './file-system-rows.ts';
import { newId } from './ids.ts';
import { decodeToken, pageSize, toPage, type Page } from './pagination.ts';
import { checkUniqueKeys } from './tags.ts';
import type { FileSystem, Scope, Tag } from './types.ts';
import { stmt } from './control-db.ts';

/** Far above the reference's default quota of 1,000; a deployment bound, not a product limit. */
export const MAX_FILE_SYSTEMS_PER_REGION = 10_000;

export interface CreateEfsInput {
  creationToken: string;
  performanceMode?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  throughputMode?: string;
  provisionedThroughputInMibps?: number;
  availabilityZoneName?: string;
  backup?: boolean;
  tags?: Tag[];
}

export interface DeleteHooks {
  /** A failure here leaves the file system in `error` with its data intact. */
  beforeDestroy?: () => Promise<void>;
  afterDestroy?: () => Promise<void>;
}

export interface DescribeInput {
  fileSystemId?: string;
  creationToken?: string;
  marker?: string;
  maxItems?: number;
}

export class FileSystems {
  readonly rows: FileSystemRows;

  constructor(private readonly ctx: ServiceContext) {
    this.rows = new FileSystemRows(ctx.db);
  }

  createEfs(scope: Scope, input: CreateEfsInput): FileSystem {
    const existing = this.rows.byToken(scope, 'efs', input.creationToken);
    if (existing) {
      throw new ServiceError('FileSystemAlreadyExists', `File system with creation token '${input.creationToken}' already exists.`,
        { details: { FileSystemId: existing.id } });
    }
    checkThroughput(input.throughputMode ?? 'bursting', input.provisionedThroughputInMibps);
    if (input.kmsKeyId !== undefined && input.encrypted !== true) {
      throw new ServiceError('BadRequest', 'KmsKeyId requires Encrypted to be true.');
    }
    if (input.availabilityZoneName !== undefined && !this.ctx.region(scope.region).zones.some((z) => z.name === input.availabilityZoneName)) {
      throw new ServiceError('UnsupportedAvailabilityZone', `Availability zone '${input.availabilityZoneName}' does not exist in ${scope.region}.`);
    }
    checkUniqueKeys(input.tags ?? []);
    const fs = this.insert(scope, {
      type: 'EFS', creationToken: input.creationToken, performanceMode: input.performanceMode ?? 'generalPurpose',
      throughputMode: input.throughputMode ?? 'bursting', provisionedThroughputInMibps: input.provisionedThroughputInMibps,
      encrypted: input.encrypted ?? false, kmsKeyId: input.kmsKeyId, availabilityZoneName: input.availabilityZoneName,
      tags: input.tags ?? [],
    });
    // One Zone file systems get automatic backups by default, as in the reference.
    const backup = input.backup ?? input.availabilityZoneName !== undefined;
    if (backup) this.rows.setSetting(fs.id, 'backup_status', 'ENABLED');
    return fs;
  }

  /**
   * Inserts the row in `creating` and creates the volume in the background (an empty one, or what
   * `makeVolume` builds, e.g. a restore from a backup); `available` once the volume is open.
   */
  insert(scope: Scope, fields: Omit<FileSystem, 'seq' | 'id' | 'region' | 'createdAt' | 'state' | 'replicationOverwriteProtection'>,
    capacityBytes?: number, makeVolume?: (fs: FileSystem) => Promise<unknown>): FileSystem {
    if (this.rows.count(scope) >= MAX_FILE_SYSTEMS_PER_REGION) {
      throw new ServiceError('FileSystemLimitExceeded', `At most ${MAX_FILE_SYSTEMS_PER_REGION} file systems per region.`);
    }
    const fs = this.rows.insert({ ...fields, id: newId('file-system'), region: scope.region, createdAt: new Date(), state: 'creating',
      replicationOverwriteProtection: 'ENABLED' });
    this.ctx.background(`create ${fs.id}`, async () => {
      await (makeVolume ? makeVolume(fs) : this.ctx.volumes.open(fs.id, { capacityBytes }));
      this.rows.setState(fs.id, 'available');
      this.ctx.changed();
    }, (e) => this.rows.setState(fs.id, 'error', e instanceof Error ? e.message : String(e)));
    return fs;
  }

  describe(scope: Scope, family: ApiFamily, input: DescribeInput): Page<FileSystem> {
    if (input.fileSystemId !== undefined) {
      const fs = this.rows.get(scope, family, input.fileSystemId);
      return { items: input.creationToken === undefined || fs.creationToken === input.creationToken ? [fs] : [] };
    }
    if (input.creationToken !== undefined) {
      const fs = this.rows.byToken(scope, family, input.creationToken);
      return { items: fs ? [fs] : [] };
    }
    const max = pageSize(input.maxItems);
    return toPage(this.rows.list(scope, family, decodeToken(input.marker), max + 1), max, (f) => f);
  }

  /** Adds SizeInBytes from the engine (zero while the volume is not open yet). */
  async withSize(fs: FileSystem): Promise<FileSystem> {
    const volume = this.ctx.volumes.get(fs.id);
    const usage = volume ? await volume.usage() : undefined;
    return { ...fs, size: {
      value: usage?.meteredBytes ?? 0, valueInStandard: usage?.byClass.standard ?? 0, valueInIA: usage?.byClass.infrequentAccess ?? 0,
      valueInArchive: usage?.byClass.archive ?? 0, timestamp: new Date(),
    } };
  }

  requireAvailable(fs: FileSystem): void {
    if (fs.state !== 'available') {
      throw new ServiceError('IncorrectFileSystemLifeCycleState', `File system '${fs.id}' is ${fs.state}, not available.`);
    }
  }

  updateEfs(scope: Scope, id: string, input: { throughputMode?: string; provisionedThroughputInMibps?: number }): FileSystem {
    const fs = this.rows.get(scope, 'efs', id);
    this.requireAvailable(fs);
    const mode = input.throughputMode ?? fs.throughputMode;
    const provisioned = input.provisionedThroughputInMibps ?? (mode === 'provisioned' ? fs.provisionedThroughputInMibps : undefined);
    checkThroughput(mode, provisioned);
    this.rows.update(id, { throughputMode: mode, provisionedThroughputInMibps: provisioned ?? null });
    return this.rows.get(scope, 'efs', id);
  }

  updateProtection(scope: Scope, id: string, protection: string | undefined): FileSystem {
    const fs = this.rows.get(scope, 'efs', id);
    this.requireAvailable(fs);
    if (protection === 'REPLICATING') throw new ServiceError('BadRequest', 'REPLICATING is set by the service, not by callers.');
    if (protection !== undefined) this.rows.update(id, { protection });
    return this.rows.get(scope, 'efs', id);
  }

  /**
   * available/error → deleting → gone. Mount targets must be deleted first; access points go with it.
   * `hooks` run in the background around the volume's destruction (FSx: final backup, then its automatic backups).
   */
  delete(scope: Scope, family: ApiFamily, id: string, hooks: DeleteHooks = {}): FileSystem {
    const fs = this.rows.get(scope, family, id);
    if (fs.state === 'deleting') return fs;
    if (family === 'efs' && (fs.mountTargetCount ?? 0) > 0) {
      throw new ServiceError('FileSystemInUse', `File system '${id}' has mount targets; delete them first.`);
    }
    if (fs.state === 'creating' || fs.state === 'updating') {
      throw new ServiceError(family === 'efs' ? 'IncorrectFileSystemLifeCycleState' : 'BadRequest', `File system '${id}' is ${fs.state}.`);
    }
    this.rows.setState(id, 'deleting');
    this.ctx.changed();
    this.ctx.background(`delete ${id}`, async () => {
      await hooks.beforeDestroy?.();
      await this.ctx.volumes.destroy(id);
      this.ctx.db.transaction(() => {
        stmt(this.ctx.db, 'DELETE FROM access_points WHERE fs_id = ?').run(id);
        stmt(this.ctx.db, 'DELETE FROM mount_targets WHERE fs_id = ?').run(id);
        this.rows.remove(id);
      })();
      this.ctx.changed();
      await hooks.afterDestroy?.();
    }, (e) => this.rows.setState(id, 'error', e instanceof Error ? e.message : String(e)));
    return { ...fs, state: 'deleting' };
  }
}

function checkThroughput(mode: string, provisioned: number | undefined): void {
  if (mode === 'provisioned' && provisioned === undefined) {
    throw new ServiceError('BadRequest', 'ProvisionedThroughputInMibps is required when ThroughputMode is provisioned.');
  }
  if (mode !== 'provisioned' && provisioned !== undefined) {
    throw new ServiceError('BadRequest', 'ProvisionedThroughputInMibps is only valid when ThroughputMode is provisioned.');
  }
}
