// Service records → EFS wire shapes (JSON member names of the 2015-02-01 model; timestamps in epoch seconds).
import { arn } from '../../service/ids.ts';
import { nameTag } from '../../service/tags.ts';
import type { AccessPoint, FileSystem, LifecyclePolicy, MountTarget, Tag } from '../../service/types.ts';

export type Wire = Record<string, unknown>;

export const epochSeconds = (d: Date): number => d.getTime() / 1000;

export function wireTags(tags: readonly Tag[]): Wire[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

export function fileSystemWire(fs: FileSystem, account: string, zoneId: (name: string) => string | undefined): Wire {
  const size = fs.size;
  return {
    OwnerId: account, CreationToken: fs.creationToken, FileSystemId: fs.id,
    FileSystemArn: arn('elasticfilesystem', fs.region, account, 'file-system', fs.id), CreationTime: epochSeconds(fs.createdAt),
    LifeCycleState: fs.state, Name: nameTag(fs.tags), NumberOfMountTargets: fs.mountTargetCount ?? 0,
    SizeInBytes: { Value: size?.value ?? 0, Timestamp: size ? epochSeconds(size.timestamp) : undefined, ValueInIA: size?.valueInIA ?? 0,
      ValueInStandard: size?.valueInStandard ?? 0, ValueInArchive: size?.valueInArchive ?? 0 },
    PerformanceMode: fs.performanceMode, Encrypted: fs.encrypted, KmsKeyId: fs.kmsKeyId, ThroughputMode: fs.throughputMode,
    ProvisionedThroughputInMibps: fs.provisionedThroughputInMibps, AvailabilityZoneName: fs.availabilityZoneName,
    AvailabilityZoneId: fs.availabilityZoneName === undefined ? undefined : zoneId(fs.availabilityZoneName),
    Tags: wireTags(fs.tags), FileSystemProtection: { ReplicationOverwriteProtection: fs.replicationOverwriteProtection },
  };
}

export function mountTargetWire(mt: MountTarget, account: string, zoneId: (name: string) => string | undefined): Wire {
  return {
    OwnerId: account, MountTargetId: mt.id, FileSystemId: mt.fileSystemId, SubnetId: mt.subnetId, LifeCycleState: mt.state,
    IpAddress: mt.ipAddress, NetworkInterfaceId: `eni-${mt.id.slice(5)}`, AvailabilityZoneId: zoneId(mt.zone),
    AvailabilityZoneName: mt.zone, VpcId: `vpc-${mt.region}`,
  };
}

export function accessPointWire(ap: AccessPoint, account: string): Wire {
  const info = ap.rootDirectory.creationInfo;
  return {
    ClientToken: ap.clientToken, Name: nameTag(ap.tags), Tags: wireTags(ap.tags), AccessPointId: ap.id,
    AccessPointArn: arn('elasticfilesystem', ap.region, account, 'access-point', ap.id), FileSystemId: ap.fileSystemId,
    PosixUser: ap.posixUser && { Uid: ap.posixUser.uid, Gid: ap.posixUser.gid,
      SecondaryGids: ap.posixUser.secondaryGids.length > 0 ? ap.posixUser.secondaryGids : undefined },
    RootDirectory: { Path: ap.rootDirectory.path,
      CreationInfo: info && { OwnerUid: info.ownerUid, OwnerGid: info.ownerGid, Permissions: info.permissions } },
    OwnerId: account, LifeCycleState: ap.state,
  };
}

export function lifecycleWire(policies: readonly LifecyclePolicy[]): Wire {
  return { LifecyclePolicies: policies.map((p) => ({ TransitionToIA: p.transitionToIA,
    TransitionToPrimaryStorageClass: p.transitionToPrimaryStorageClass, TransitionToArchive: p.transitionToArchive })) };
}
