// EFS per-file-system settings: file system policy, lifecycle configuration, backup policy.
import type { LifecyclePolicy as WireLifecyclePolicy } from '@aws-sdk/client-efs';
import { idFromIdOrArn } from '../../service/ids.ts';
import type { EfsHandler } from './operation.ts';
import { lifecycleWire } from './wire-shapes.ts';

const fsId = (input: Record<string, unknown>): string => idFromIdOrArn(input.FileSystemId as string);

export const settingsOps: Record<string, EfsHandler> = {
  DescribeFileSystemPolicy: (input, call) => ({ FileSystemId: fsId(input), Policy: call.service.settings.describePolicy(call.scope, fsId(input)) }),
  PutFileSystemPolicy: (input, call) => ({
    FileSystemId: fsId(input), Policy: call.service.settings.putPolicy(call.scope, fsId(input), input.Policy as string),
  }),
  DeleteFileSystemPolicy: (input, call) => {
    call.service.settings.deletePolicy(call.scope, fsId(input));
    return {};
  },

  DescribeLifecycleConfiguration: (input, call) => lifecycleWire(call.service.settings.describeLifecycle(call.scope, fsId(input))),
  PutLifecycleConfiguration: (input, call) => {
    const policies = (input.LifecyclePolicies as WireLifecyclePolicy[]).map((p) => ({ transitionToIA: p.TransitionToIA,
      transitionToPrimaryStorageClass: p.TransitionToPrimaryStorageClass, transitionToArchive: p.TransitionToArchive }));
    return lifecycleWire(call.service.settings.putLifecycle(call.scope, fsId(input), policies));
  },

  DescribeBackupPolicy: (input, call) => ({ BackupPolicy: { Status: call.service.settings.describeBackupPolicy(call.scope, fsId(input)) } }),
  PutBackupPolicy: (input, call) => {
    const status = (input.BackupPolicy as { Status: string }).Status;
    return { BackupPolicy: { Status: call.service.settings.putBackupPolicy(call.scope, fsId(input), status) } };
  },
};
