// FSx file systems (WINDOWS, LUSTRE): the reference's creation rules and defaults over the shared
// file system lifecycle. Their data is an engine volume with a hard capacity (StorageCapacity GiB).
import { createHash, randomBytes } from 'node:crypto';
import type { ServiceContext } from './context.ts';
import { ServiceError } from './errors.ts';
import type { FileSystems } from './file-systems.ts';
import { checkUniqueKeys } from './tags.ts';
import type { FileSystem, FsxSettings, JsonObject, Scope, Tag } from './types.ts';

export interface CreateFsxInput {
  clientRequestToken?: string;
  fileSystemType: string;
  storageCapacity?: number;
  storageType?: string;
  subnetIds: string[];
  securityGroupIds?: string[];
  tags?: Tag[];
  kmsKeyId?: string;
  windowsConfiguration?: JsonObject;
  lustreConfiguration?: JsonObject;
}

export interface UpdateFsxInput {
  storageCapacity?: number;
  windowsConfiguration?: JsonObject;
  lustreConfiguration?: JsonObject;
}

const GiB = 1024 ** 3;

export class FsxFileSystems {
  constructor(private readonly ctx: ServiceContext, private readonly fileSystems: FileSystems) {}

  /** `makeVolume` builds the volume instead of an empty one (CreateFileSystemFromBackup). */
  create(scope: Scope, input: CreateFsxInput, makeVolume?: (fs: FileSystem) => Promise<unknown>): FileSystem {
    const fingerprint = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    const token = input.clientRequestToken ?? `fathom-${randomBytes(12).toString('hex')}`;
    const existing = this.fileSystems.rows.byToken(scope, 'fsx', token);
    if (existing) {
      if (existing.fsx?.requestFingerprint !== fingerprint) {
        throw new ServiceError('IncompatibleParameterError', `ClientRequestToken '${token}' was used with different parameters.`);
      }
      return existing;
    }
    const type = input.fileSystemType;
    if (type !== 'WINDOWS' && type !== 'LUSTRE') {
      throw new ServiceError('BadRequest', `FileSystemType ${type} is not supported by this deployment (WINDOWS and LUSTRE are).`);
    }
    this.checkSubnets(scope, input.subnetIds);
    checkUniqueKeys(input.tags ?? []);
    const configuration = type === 'WINDOWS' ? windowsDefaults(input) : lustreDefaults(input);
    const storageType = input.storageType ?? 'SSD';
    const capacity = checkCapacity(type, storageType, configuration, input.storageCapacity);
    const fsx: FsxSettings = { storageCapacity: capacity, storageType, subnetIds: input.subnetIds,
      securityGroupIds: input.securityGroupIds ?? [], configuration, requestFingerprint: fingerprint };
    return this.fileSystems.insert(scope, {
      type, creationToken: token, performanceMode: 'generalPurpose', throughputMode: 'provisioned', encrypted: true,
      kmsKeyId: input.kmsKeyId, tags: input.tags ?? [], fsx,
    }, capacity * GiB, makeVolume);
  }

  update(scope: Scope, id: string, input: UpdateFsxInput): FileSystem {
    const fs = this.fileSystems.rows.get(scope, 'fsx', id);
    if (fs.state !== 'available') throw new ServiceError('BadRequest', `File system '${id}' is ${fs.state}, not available.`);
    const fsx = fs.fsx as FsxSettings;
    const given = fs.type === 'WINDOWS' ? input.windowsConfiguration : input.lustreConfiguration;
    const other = fs.type === 'WINDOWS' ? input.lustreConfiguration : input.windowsConfiguration;
    if (other !== undefined) throw new ServiceError('BadRequest', `File system '${id}' is ${fs.type}; that configuration does not apply.`);
    if (input.storageCapacity !== undefined && input.storageCapacity <= fsx.storageCapacity) {
      throw new ServiceError('BadRequest', 'StorageCapacity can only be increased.');
    }
    const configuration = { ...fsx.configuration, ...(given ?? {}) };
    checkBackupSettings(configuration);
    this.fileSystems.rows.update(id, { fsx: { ...fsx, storageCapacity: input.storageCapacity ?? fsx.storageCapacity, configuration } });
    return this.fileSystems.rows.get(scope, 'fsx', id);
  }

  private checkSubnets(scope: Scope, subnetIds: string[]): void {
    const region = this.ctx.region(scope.region);
    const unknown = subnetIds.find((s) => !region.subnets.some((x) => x.id === s));
    if (unknown !== undefined) {
      throw new ServiceError('InvalidNetworkSettings', `Subnet '${unknown}' does not exist in ${scope.region}.`, { details: { InvalidSubnetId: unknown } });
    }
    if (new Set(subnetIds).size !== subnetIds.length) throw new ServiceError('InvalidNetworkSettings', 'SubnetIds must be distinct.');
  }
}

function windowsDefaults(input: CreateFsxInput): JsonObject {
  const c = input.windowsConfiguration;
  if (!c) throw new ServiceError('MissingFileSystemConfiguration', 'WindowsConfiguration is required for WINDOWS file systems.');
  const deployment = (c.DeploymentType as string | undefined) ?? 'SINGLE_AZ_1';
  const multiAz = deployment === 'MULTI_AZ_1';
  if (multiAz ? input.subnetIds.length !== 2 : input.subnetIds.length !== 1) {
    throw new ServiceError('InvalidNetworkSettings', `${deployment} needs ${multiAz ? 'two subnets' : 'exactly one subnet'}.`);
  }
  if (multiAz && (c.PreferredSubnetId === undefined || !input.subnetIds.includes(c.PreferredSubnetId as string))) {
    throw new ServiceError('InvalidNetworkSettings', 'MULTI_AZ_1 needs PreferredSubnetId, one of SubnetIds.');
  }
  const out: JsonObject = { DeploymentType: deployment, PreferredSubnetId: input.subnetIds[0], AutomaticBackupRetentionDays: 7,
    DailyAutomaticBackupStartTime: '05:00', WeeklyMaintenanceStartTime: '7:05:00', CopyTagsToBackups: false, ...c };
  checkBackupSettings(out);
  return out;
}

const PERSISTENT_THROUGHPUT: Record<string, number[]> = { PERSISTENT_1: [50, 100, 200], PERSISTENT_2: [125, 250, 500, 1000] };

function lustreDefaults(input: CreateFsxInput): JsonObject {
  const c = input.lustreConfiguration ?? {};
  const deployment = (c.DeploymentType as string | undefined) ?? 'SCRATCH_1';
  if (input.subnetIds.length !== 1) throw new ServiceError('InvalidNetworkSettings', 'LUSTRE file systems take exactly one subnet.');
  const allowed = PERSISTENT_THROUGHPUT[deployment];
  const perUnit = c.PerUnitStorageThroughput as number | undefined;
  if (allowed && (perUnit === undefined || !allowed.includes(perUnit))) {
    throw new ServiceError('BadRequest', `${deployment} needs PerUnitStorageThroughput, one of ${allowed.join(', ')}.`);
  }
  if (!allowed && perUnit !== undefined) {
    throw new ServiceError('IncompatibleParameterError', `PerUnitStorageThroughput does not apply to ${deployment}.`, { details: { Parameter: 'PerUnitStorageThroughput' } });
  }
  const scratch = deployment.startsWith('SCRATCH');
  if (scratch && (c.AutomaticBackupRetentionDays as number | undefined ?? 0) > 0) {
    throw new ServiceError('IncompatibleParameterError', 'Automatic backups are not available for scratch file systems.', { details: { Parameter: 'AutomaticBackupRetentionDays' } });
  }
  const out: JsonObject = { DeploymentType: deployment, WeeklyMaintenanceStartTime: '7:05:00', MountName: randomBytes(4).toString('hex'),
    DataCompressionType: 'NONE', ...(scratch ? {} : { AutomaticBackupRetentionDays: 0, DailyAutomaticBackupStartTime: '05:00', CopyTagsToBackups: false }), ...c };
  checkBackupSettings(out);
  return out;
}

function checkBackupSettings(c: JsonObject): void {
  const days = c.AutomaticBackupRetentionDays;
  if (typeof days === 'number' && (days < 0 || days > 90)) throw new ServiceError('BadRequest', 'AutomaticBackupRetentionDays must be 0–90.');
}

/** StorageCapacity ranges of the reference (GiB). */
function checkCapacity(type: string, storageType: string, c: JsonObject, capacity: number | undefined): number {
  if (capacity === undefined) throw new ServiceError('BadRequest', 'StorageCapacity is required.');
  if (type === 'WINDOWS') {
    const min = storageType === 'HDD' ? 2000 : 32;
    if (capacity < min || capacity > 65536) throw new ServiceError('BadRequest', `StorageCapacity for ${storageType} must be ${min}–65536 GiB.`);
    return capacity;
  }
  const step = c.DeploymentType === 'SCRATCH_1' ? 3600 : 2400;
  if (capacity !== 1200 && !(capacity >= step && capacity % step === 0) && !(c.DeploymentType === 'SCRATCH_1' && capacity === 2400)) {
    throw new ServiceError('BadRequest', `StorageCapacity for ${String(c.DeploymentType)} must be 1200${c.DeploymentType === 'SCRATCH_1' ? ', 2400' : ''} or a multiple of ${step} GiB.`);
  }
  return capacity;
}
