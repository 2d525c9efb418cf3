// CreateFileSystemFromBackup: a new FSx file system with the backup's type, deployment type and storage
// capacity (a larger capacity may be asked for, never a smaller one). It becomes AVAILABLE as soon as the
// metadata is restored; its data is fetched from the region's vault on first read and hydrated in the
// background (progress: hydrationOf). After a restart the volume is reopened with the same block source.
import { hydrationStatus, resumeHydration, restoreFileSystem, restoreSource } from '../backup/restore.ts';
import type { BackupService } from '../backup/backup-service.ts';
import type { HydrationStatus, Volume } from '../engine/index.ts';
import { fsxSettingsOfBackup } from './backed-up-file-system.ts';
import type { ServiceContext } from './context.ts';
import { ServiceError } from './errors.ts';
import type { CreateFsxInput, FsxFileSystems } from './fsx-file-systems.ts';
import type { FileSystem, JsonObject, Scope, Tag } from './types.ts';

export interface CreateFromBackupInput {
  backupId: string;
  subnetIds: string[];
  securityGroupIds?: string[];
  tags?: Tag[];
  storageCapacity?: number;
  storageType?: string;
  clientRequestToken?: string;
  kmsKeyId?: string;
  windowsConfiguration?: JsonObject;
  lustreConfiguration?: JsonObject;
}

/** Members of a stored configuration that belong to the old file system, not to its backup. */
const NOT_RESTORED = ['PreferredSubnetId', 'RemoteAdministrationEndpoint', 'PreferredFileServerIp', 'MountName'];

export class FileSystemRestores {
  constructor(private readonly ctx: ServiceContext, private readonly fsx: FsxFileSystems, private readonly backups: BackupService) {}

  create(scope: Scope, input: CreateFromBackupInput): FileSystem {
    const record = this.backups.getBackup(scope.region, input.backupId);
    if (record.lifecycle !== 'AVAILABLE') throw new ServiceError('BadRequest', `Backup ${input.backupId} is ${record.lifecycle}, not AVAILABLE.`);
    const saved = fsxSettingsOfBackup(input.backupId, record.fileSystem);
    const capacity = input.storageCapacity ?? saved.fsx.storageCapacity;
    if (capacity < saved.fsx.storageCapacity) {
      throw new ServiceError('BadRequest', `StorageCapacity must be at least the backup's ${saved.fsx.storageCapacity} GiB.`);
    }
    const given = saved.type === 'WINDOWS' ? input.windowsConfiguration : input.lustreConfiguration;
    const configuration: JsonObject = { ...withoutOldMembers(saved.fsx.configuration), ...(given ?? {}), DeploymentType: saved.fsx.configuration.DeploymentType ?? null };
    const request: CreateFsxInput = {
      clientRequestToken: input.clientRequestToken, fileSystemType: saved.type, storageCapacity: capacity,
      storageType: input.storageType ?? saved.fsx.storageType, subnetIds: input.subnetIds, securityGroupIds: input.securityGroupIds,
      tags: input.tags, kmsKeyId: input.kmsKeyId,
      ...(saved.type === 'WINDOWS' ? { windowsConfiguration: configuration } : { lustreConfiguration: configuration }),
    };
    return this.fsx.create(scope, request, (fs) => this.restoreVolume(fs, input.backupId));
  }

  /** Reopens a restored volume after a restart (undefined: the file system was not restored from a backup). */
  async reopen(fs: FileSystem, capacityBytes: number | undefined): Promise<Volume | undefined> {
    const source = await restoreSource(this.backups, fs.id);
    if (!source) return undefined;
    const volume = await this.ctx.volumes.open(fs.id, { capacityBytes, source });
    this.watch(fs.id, resumeHydration(this.backups, fs.id, volume));
    return volume;
  }

  /** Hydration progress of a restored file system (undefined: not restored, or nothing known yet). */
  hydrationOf(fileSystemId: string): (HydrationStatus & { percent: number }) | undefined {
    return hydrationStatus(this.backups, fileSystemId);
  }

  private restoreVolume(fs: FileSystem, backupId: string): Promise<Volume> {
    return this.ctx.volumes.adopt(fs.id, async (dir, budget) => {
      const r = await restoreFileSystem(this.backups, { region: fs.region, backupId, fileSystemId: fs.id, dir, budget });
      this.watch(fs.id, r.hydrated);
      return r.volume;
    });
  }

  /** Hydration runs in the background; a failure only means reads keep fetching from the vault. */
  private watch(fileSystemId: string, hydrated: Promise<void> | undefined): void {
    hydrated?.catch((e: unknown) => this.ctx.logger.warn({ err: e, fileSystemId }, 'background hydration stopped'));
  }
}

function withoutOldMembers(c: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(c).filter(([k]) => !NOT_RESTORED.includes(k)));
}
