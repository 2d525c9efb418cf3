// FSx operations served by Fathom; every other operation of the model answers UnsupportedOperation.
import type { CreateFileSystemRequest, DeleteFileSystemRequest, DescribeFileSystemsRequest, ListTagsForResourceRequest, Tag as WireTag, UpdateFileSystemRequest } from '@aws-sdk/client-fsx';
import type { FathomService } from '../../service/service.ts';
import { ServiceError } from '../../service/errors.ts';
import { decodeToken, encodeToken } from '../../service/pagination.ts';
import type { JsonObject, Scope, Tag } from '../../service/types.ts';
import { deleteFsxFileSystem } from '../../service/fsx-deletion.ts';
import type { Wire } from '../efs/wire-shapes.ts';
import { FSX_BACKUP_OPERATIONS } from './ops-backups.ts';
import { tagsIn, wireOf, type FsxHandler } from './fsx-call.ts';
import { fsxLifecycle } from './wire-shapes.ts';
import { asResourceNotFound, resourceIdFromArn } from './resource-arn.ts';

const MAX_PAGE = 1000;

export const FSX_OPERATIONS: Readonly<Record<string, FsxHandler>> = {
  CreateFileSystem: (input, call) => {
    const i = input as unknown as CreateFileSystemRequest;
    const fs = call.service.fsx.create(call.scope, {
      clientRequestToken: i.ClientRequestToken, fileSystemType: String(i.FileSystemType), storageCapacity: i.StorageCapacity,
      storageType: i.StorageType, subnetIds: i.SubnetIds ?? [], securityGroupIds: i.SecurityGroupIds, tags: tagsIn(i.Tags), kmsKeyId: i.KmsKeyId,
      windowsConfiguration: input.WindowsConfiguration as JsonObject | undefined, lustreConfiguration: input.LustreConfiguration as JsonObject | undefined,
    });
    return { FileSystem: wireOf(call)(fs) };
  },

  DescribeFileSystems: (input, call) => {
    const i = input as DescribeFileSystemsRequest;
    if (i.FileSystemIds !== undefined) {
      const items = i.FileSystemIds.map((id) => call.service.fileSystems.rows.get(call.scope, 'fsx', id));
      const start = decodeToken(i.NextToken);
      const size = Math.min(i.MaxResults ?? MAX_PAGE, MAX_PAGE);
      return { FileSystems: items.slice(start, start + size).map(wireOf(call)), NextToken: start + size < items.length ? encodeToken(start + size) : undefined };
    }
    const page = call.service.fileSystems.describe(call.scope, 'fsx', { marker: i.NextToken, maxItems: Math.min(i.MaxResults ?? MAX_PAGE, MAX_PAGE) });
    return { FileSystems: page.items.map(wireOf(call)), NextToken: page.next };
  },

  UpdateFileSystem: (input, call) => {
    const i = input as unknown as UpdateFileSystemRequest;
    const fs = call.service.fsx.update(call.scope, String(i.FileSystemId), {
      storageCapacity: i.StorageCapacity, windowsConfiguration: input.WindowsConfiguration as JsonObject | undefined,
      lustreConfiguration: input.LustreConfiguration as JsonObject | undefined,
    });
    return { FileSystem: wireOf(call)(fs) };
  },

  DeleteFileSystem: (input, call) => {
    const i = input as unknown as DeleteFileSystemRequest;
    const c = i.WindowsConfiguration ?? i.LustreConfiguration;
    const { fileSystem: fs, finalBackupId } = deleteFsxFileSystem(call.service.fileSystems, call.service.backups, call.scope, String(i.FileSystemId),
      { skipFinalBackup: c?.SkipFinalBackup, finalBackupTags: tagsIn(c?.FinalBackupTags) });
    const final = { ...(finalBackupId !== undefined && { FinalBackupId: finalBackupId, FinalBackupTags: c?.FinalBackupTags ?? [] }) };
    return { FileSystemId: fs.id, Lifecycle: fsxLifecycle(fs.state), ...(fs.type === 'WINDOWS' ? { WindowsResponse: final } : { LustreResponse: final }) };
  },
  ...FSX_BACKUP_OPERATIONS,

  TagResource: (input, call) => {
    const resourceArn = input.ResourceARN as string;
    asResourceNotFound(resourceArn, () => call.service.tags.add(call.scope, 'fsx', resourceIdFromArn(resourceArn, call.scope.region), tagsIn(input.Tags as WireTag[]) ?? []));
    return {};
  },
  UntagResource: (input, call) => {
    const resourceArn = input.ResourceARN as string;
    asResourceNotFound(resourceArn, () => call.service.tags.remove(call.scope, 'fsx', resourceIdFromArn(resourceArn, call.scope.region), input.TagKeys as string[]));
    return {};
  },
  ListTagsForResource: (input, call) => {
    const i = input as unknown as ListTagsForResourceRequest;
    const resourceArn = String(i.ResourceARN);
    const tags = asResourceNotFound(resourceArn, () => call.service.tags.list(call.scope, 'fsx', resourceIdFromArn(resourceArn, call.scope.region)));
    const start = decodeToken(i.NextToken);
    const size = i.MaxResults ?? MAX_PAGE;
    return { Tags: tags.slice(start, start + size).map((t) => ({ Key: t.key, Value: t.value })),
      NextToken: start + size < tags.length ? encodeToken(start + size) : undefined };
  },
};

export function unsupported(operation: string): never {
  throw new ServiceError('UnsupportedOperation', `${operation} is not supported by this Fathom deployment yet.`);
}
