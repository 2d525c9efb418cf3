// EFS account preferences and replication (replication answers a clear error until an issue asks for it).
import { ServiceError } from '../../service/errors.ts';
import { idFromIdOrArn } from '../../service/ids.ts';
import type { EfsHandler } from './operation.ts';

const RESOURCES = ['FILE_SYSTEM', 'MOUNT_TARGET'];

function notSupported(): never {
  throw new ServiceError('ValidationException', 'Replication is not supported by this Fathom deployment.');
}

export const accountOps: Record<string, EfsHandler> = {
  DescribeAccountPreferences: (_input, call) => ({
    ResourceIdPreference: { ResourceIdType: call.service.preferences.resourceIdType(call.scope), Resources: RESOURCES },
  }),
  PutAccountPreferences: (input, call) => ({
    ResourceIdPreference: { ResourceIdType: call.service.preferences.setResourceIdType(call.scope, input.ResourceIdType as string), Resources: RESOURCES },
  }),

  CreateReplicationConfiguration: (input, call) => {
    call.service.fileSystems.rows.get(call.scope, 'efs', idFromIdOrArn(input.SourceFileSystemId as string));
    return notSupported();
  },
  /** No file system is ever replicated: an empty list, or ReplicationNotFound for a named file system. */
  DescribeReplicationConfigurations: (input, call) => {
    if (input.FileSystemId === undefined) return { Replications: [] };
    const fs = call.service.fileSystems.rows.get(call.scope, 'efs', idFromIdOrArn(input.FileSystemId as string));
    throw new ServiceError('ReplicationNotFound', `File system '${fs.id}' has no replication configuration.`);
  },
  DeleteReplicationConfiguration: (input, call) => {
    const fs = call.service.fileSystems.rows.get(call.scope, 'efs', idFromIdOrArn(input.SourceFileSystemId as string));
    throw new ServiceError('ReplicationNotFound', `File system '${fs.id}' has no replication configuration.`);
  },
};
