// EFS mount target operations.
import type { CreateMountTargetRequest, DescribeMountTargetsRequest } from '@aws-sdk/client-efs';
import { idFromIdOrArn } from '../../service/ids.ts';
import { required, type EfsHandler } from './operation.ts';
import { zoneIdFor } from './ops-file-systems.ts';
import { mountTargetWire } from './wire-shapes.ts';

export const mountTargetOps: Record<string, EfsHandler> = {
  CreateMountTarget: (input, call) => {
    const i = input as unknown as CreateMountTargetRequest;
    const mt = call.service.mountTargets.create(call.scope, {
      fileSystemId: idFromIdOrArn(required(i.FileSystemId)), subnetId: required(i.SubnetId), ipAddress: i.IpAddress, securityGroups: i.SecurityGroups,
    });
    return mountTargetWire(mt, call.service.accountId, zoneIdFor(call));
  },

  DescribeMountTargets: (input, call) => {
    const i = input as DescribeMountTargetsRequest;
    const page = call.service.mountTargets.describe(call.scope, {
      fileSystemId: i.FileSystemId === undefined ? undefined : idFromIdOrArn(i.FileSystemId), mountTargetId: i.MountTargetId,
      accessPointId: i.AccessPointId === undefined ? undefined : idFromIdOrArn(i.AccessPointId), marker: i.Marker, maxItems: i.MaxItems,
    }, (apId) => call.service.accessPoints.get(call.scope, apId).fileSystemId);
    return { Marker: i.Marker, MountTargets: page.items.map((m) => mountTargetWire(m, call.service.accountId, zoneIdFor(call))), NextMarker: page.next };
  },

  DeleteMountTarget: (input, call) => {
    call.service.mountTargets.delete(call.scope, input.MountTargetId as string);
    return undefined;
  },

  DescribeMountTargetSecurityGroups: (input, call) => ({
    SecurityGroups: call.service.mountTargets.securityGroups(call.scope, input.MountTargetId as string),
  }),

  ModifyMountTargetSecurityGroups: (input, call) => {
    call.service.mountTargets.modifySecurityGroups(call.scope, input.MountTargetId as string, (input.SecurityGroups as string[] | undefined) ?? []);
    return undefined;
  },
};
