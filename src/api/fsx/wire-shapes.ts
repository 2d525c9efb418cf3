// Service records → FSx wire shapes (2018-03-01 JSON 1.1; timestamps in epoch seconds).
import type { RegionConfig } from '../../config/config.ts';
import { arn } from '../../service/ids.ts';
import type { FileSystem, LifeCycleState } from '../../service/types.ts';
import { epochSeconds, wireTags, type Wire } from '../efs/wire-shapes.ts';

const LIFECYCLE: Record<LifeCycleState, string> = {
  creating: 'CREATING', available: 'AVAILABLE', updating: 'UPDATING', deleting: 'DELETING', deleted: 'DELETING', error: 'FAILED',
};

export function fsxLifecycle(state: LifeCycleState): string {
  return LIFECYCLE[state];
}

/** Fathom's extension field on restored file systems: how much of the data is local yet (lazy restore). */
export interface HydrationWire {
  percent: number;
  bytesLocal: number;
  bytesTotal: number;
}

export function fsxFileSystemWire(fs: FileSystem, account: string, region: RegionConfig, hydration?: HydrationWire): Wire {
  const fsx = fs.fsx;
  const subnets = region.subnets.filter((s) => fsx?.subnetIds.includes(s.id));
  const dnsName = subnets[0]?.nfsListen.host;
  const configuration = { ...(fsx?.configuration ?? {}) };
  if (fs.type === 'WINDOWS') Object.assign(configuration, { RemoteAdministrationEndpoint: dnsName, PreferredFileServerIp: dnsName });
  return {
    OwnerId: account, CreationTime: epochSeconds(fs.createdAt), FileSystemId: fs.id, FileSystemType: fs.type, Lifecycle: fsxLifecycle(fs.state),
    FailureDetails: fs.failure === undefined ? undefined : { Message: fs.failure }, StorageCapacity: fsx?.storageCapacity,
    StorageType: fsx?.storageType, VpcId: `vpc-${fs.region}`, SubnetIds: fsx?.subnetIds, NetworkInterfaceIds: subnets.map((s) => `eni-${fs.id.slice(3)}-${s.zone}`),
    DNSName: dnsName, KmsKeyId: fs.kmsKeyId, ResourceARN: arn('fsx', fs.region, account, 'file-system', fs.id), Tags: wireTags(fs.tags),
    WindowsConfiguration: fs.type === 'WINDOWS' ? configuration : undefined,
    LustreConfiguration: fs.type === 'LUSTRE' ? configuration : undefined,
    ...(hydration && { FathomHydration: { Percent: hydration.percent, BytesLocal: hydration.bytesLocal, BytesTotal: hydration.bytesTotal } }),
  };
}
