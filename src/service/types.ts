// The service layer's resources, independent of any wire format.
export type FileSystemType = 'EFS' | 'WINDOWS' | 'LUSTRE';
export type LifeCycleState = 'creating' | 'available' | 'updating' | 'deleting' | 'deleted' | 'error';

export interface Tag {
  key: string;
  value: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** FSx settings, stored as given (validated by the API against the model) plus the defaults we fill in. */
export interface FsxSettings {
  storageCapacity: number;
  storageType: string;
  subnetIds: string[];
  securityGroupIds: string[];
  /** WindowsConfiguration or LustreConfiguration, in the reference's member names. */
  configuration: JsonObject;
  /** Hash of the create request: a repeated ClientRequestToken must come with the same request. */
  requestFingerprint: string;
}

export interface FileSystem {
  seq: number;
  id: string;
  region: string;
  type: FileSystemType;
  creationToken: string;
  createdAt: Date;
  state: LifeCycleState;
  performanceMode: string;
  throughputMode: string;
  provisionedThroughputInMibps?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  availabilityZoneName?: string;
  replicationOverwriteProtection: string;
  tags: Tag[];
  fsx?: FsxSettings;
  failure?: string;
  /** Filled from the engine's accounting when described. */
  size?: FileSystemSize;
  mountTargetCount?: number;
}

export interface FileSystemSize {
  value: number;
  valueInStandard: number;
  valueInIA: number;
  valueInArchive: number;
  timestamp: Date;
}

export interface MountTarget {
  seq: number;
  id: string;
  fileSystemId: string;
  region: string;
  subnetId: string;
  zone: string;
  ipAddress: string;
  state: LifeCycleState;
  securityGroups: string[];
}

export interface PosixUser {
  uid: number;
  gid: number;
  secondaryGids: number[];
}

export interface RootDirectory {
  path: string;
  creationInfo?: { ownerUid: number; ownerGid: number; permissions: string };
}

export interface AccessPoint {
  seq: number;
  id: string;
  fileSystemId: string;
  region: string;
  clientToken: string;
  state: LifeCycleState;
  posixUser?: PosixUser;
  rootDirectory: RootDirectory;
  /** Inode of RootDirectory once resolved (created when missing). */
  rootIno?: number;
  tags: Tag[];
}

export interface LifecyclePolicy {
  transitionToIA?: string;
  transitionToPrimaryStorageClass?: string;
  transitionToArchive?: string;
}

/** Who owns the resources being asked about: the request's region (and the deployment's account). */
export interface Scope {
  region: string;
}
