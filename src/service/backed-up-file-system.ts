// The file system description a backup carries (in its record and its manifest): the service's own
// FileSystem record as JSON, so that a restore can recreate the configuration and the FSx API can embed
// it in the Backup shape. Stored opaque by the backup subsystem, so parsed defensively here.
import { ServiceError } from './errors.ts';
import type { FileSystem, FileSystemType, FsxSettings, JsonObject, Tag } from './types.ts';

export interface BackedUpFileSystem {
  id: string;
  region: string;
  type: FileSystemType;
  createdAt: string;
  encrypted: boolean;
  kmsKeyId?: string;
  tags: Tag[];
  /** FSx settings (absent for EFS file systems backed up by the backup service). */
  fsx?: Omit<FsxSettings, 'requestFingerprint'>;
}

export function describeForBackup(fs: FileSystem): BackedUpFileSystem {
  const fsx = fs.fsx && { storageCapacity: fs.fsx.storageCapacity, storageType: fs.fsx.storageType, subnetIds: fs.fsx.subnetIds,
    securityGroupIds: fs.fsx.securityGroupIds, configuration: fs.fsx.configuration };
  return { id: fs.id, region: fs.region, type: fs.type, createdAt: fs.createdAt.toISOString(), encrypted: fs.encrypted,
    ...(fs.kmsKeyId !== undefined && { kmsKeyId: fs.kmsKeyId }), tags: fs.tags, ...(fsx && { fsx }) };
}

/** The description back as a FileSystem record (state `available`, as it was when backed up). */
export function backedUpFileSystem(value: unknown): FileSystem | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.type !== 'string' || typeof value.createdAt !== 'string') return undefined;
  const v = value as unknown as BackedUpFileSystem;
  return {
    seq: 0, id: v.id, region: v.region, type: v.type, creationToken: '', createdAt: new Date(v.createdAt), state: 'available',
    performanceMode: 'generalPurpose', throughputMode: v.fsx ? 'provisioned' : 'bursting', encrypted: v.encrypted, kmsKeyId: v.kmsKeyId,
    replicationOverwriteProtection: 'ENABLED', tags: Array.isArray(v.tags) ? v.tags : [],
    ...(v.fsx && { fsx: { ...v.fsx, configuration: v.fsx.configuration as JsonObject, requestFingerprint: '' } }),
  };
}

/** The FSx settings a restore starts from; a backup of anything else cannot be restored through FSx. */
export function fsxSettingsOfBackup(backupId: string, value: unknown): { type: FileSystemType; fsx: FsxSettings; tags: Tag[] } {
  const fs = backedUpFileSystem(value);
  if (!fs?.fsx || (fs.type !== 'WINDOWS' && fs.type !== 'LUSTRE')) {
    throw new ServiceError('BadRequest', `Backup ${backupId} is not of an FSx file system; it cannot be restored with CreateFileSystemFromBackup.`);
  }
  return { type: fs.type, fsx: fs.fsx, tags: fs.tags };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
