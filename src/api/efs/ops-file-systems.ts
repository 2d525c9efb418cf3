// EFS file system operations: Create/Describe/Update/Delete FileSystem, UpdateFileSystemProtection.
import type { CreateFileSystemRequest, DescribeFileSystemsRequest, UpdateFileSystemProtectionRequest, UpdateFileSystemRequest } from '@aws-sdk/client-efs';
import { idFromIdOrArn } from '../../service/ids.ts';
import { required, type EfsCall, type EfsHandler } from './operation.ts';
import { fileSystemWire, type Wire } from './wire-shapes.ts';
import { fromWireTags } from './wire-input.ts';

export function zoneIdFor(call: EfsCall): (name: string) => string | undefined {
  const zones = call.service.ctx.region(call.scope.region).zones;
  return (name) => zones.find((z) => z.name === name)?.id;
}

async function describeOne(call: EfsCall, id: string): Promise<Wire> {
  const fs = await call.service.fileSystems.withSize(call.service.fileSystems.rows.get(call.scope, 'efs', id));
  return fileSystemWire(fs, call.service.accountId, zoneIdFor(call));
}

export const fileSystemOps: Record<string, EfsHandler> = {
  CreateFileSystem: async (input, call) => {
    const i = input as unknown as CreateFileSystemRequest;
    const fs = call.service.fileSystems.createEfs(call.scope, {
      creationToken: required(i.CreationToken), performanceMode: i.PerformanceMode, encrypted: i.Encrypted, kmsKeyId: i.KmsKeyId,
      throughputMode: i.ThroughputMode, provisionedThroughputInMibps: i.ProvisionedThroughputInMibps,
      availabilityZoneName: i.AvailabilityZoneName, backup: i.Backup, tags: fromWireTags(i.Tags),
    });
    return fileSystemWire(await call.service.fileSystems.withSize(fs), call.service.accountId, zoneIdFor(call));
  },

  DescribeFileSystems: async (input, call) => {
    const i = input as DescribeFileSystemsRequest;
    const page = call.service.fileSystems.describe(call.scope, 'efs', {
      fileSystemId: i.FileSystemId === undefined ? undefined : idFromIdOrArn(i.FileSystemId), creationToken: i.CreationToken,
      marker: i.Marker, maxItems: i.MaxItems,
    });
    const sized = await Promise.all(page.items.map((f) => call.service.fileSystems.withSize(f)));
    return { Marker: i.Marker, FileSystems: sized.map((f) => fileSystemWire(f, call.service.accountId, zoneIdFor(call))), NextMarker: page.next };
  },

  UpdateFileSystem: async (input, call) => {
    const i = input as unknown as UpdateFileSystemRequest;
    const fs = call.service.fileSystems.updateEfs(call.scope, idFromIdOrArn(required(i.FileSystemId)), {
      throughputMode: i.ThroughputMode, provisionedThroughputInMibps: i.ProvisionedThroughputInMibps,
    });
    return describeOne(call, fs.id);
  },

  UpdateFileSystemProtection: (input, call) => {
    const i = input as unknown as UpdateFileSystemProtectionRequest;
    const fs = call.service.fileSystems.updateProtection(call.scope, idFromIdOrArn(required(i.FileSystemId)), i.ReplicationOverwriteProtection);
    return { ReplicationOverwriteProtection: fs.replicationOverwriteProtection };
  },

  DeleteFileSystem: (input, call) => {
    call.service.fileSystems.delete(call.scope, 'efs', idFromIdOrArn(input.FileSystemId as string));
    return undefined;
  },
};
