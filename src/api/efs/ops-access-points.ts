// EFS access point operations.
import type { CreateAccessPointRequest, DescribeAccessPointsRequest } from '@aws-sdk/client-efs';
import { idFromIdOrArn } from '../../service/ids.ts';
import { required, type EfsHandler } from './operation.ts';
import { fromWirePosixUser, fromWireRootDirectory, fromWireTags } from './wire-input.ts';
import { accessPointWire } from './wire-shapes.ts';

export const accessPointOps: Record<string, EfsHandler> = {
  CreateAccessPoint: (input, call) => {
    const i = input as unknown as CreateAccessPointRequest;
    const ap = call.service.accessPoints.create(call.scope, {
      clientToken: required(i.ClientToken), fileSystemId: idFromIdOrArn(required(i.FileSystemId)), posixUser: fromWirePosixUser(i.PosixUser),
      rootDirectory: fromWireRootDirectory(i.RootDirectory), tags: fromWireTags(i.Tags),
    });
    return accessPointWire(ap, call.service.accountId);
  },

  DescribeAccessPoints: (input, call) => {
    const i = input as DescribeAccessPointsRequest;
    const page = call.service.accessPoints.describe(call.scope, {
      accessPointId: i.AccessPointId === undefined ? undefined : idFromIdOrArn(i.AccessPointId),
      fileSystemId: i.FileSystemId === undefined ? undefined : idFromIdOrArn(i.FileSystemId), nextToken: i.NextToken, maxResults: i.MaxResults,
    });
    return { AccessPoints: page.items.map((a) => accessPointWire(a, call.service.accountId)), NextToken: page.next };
  },

  DeleteAccessPoint: (input, call) => {
    call.service.accessPoints.delete(call.scope, idFromIdOrArn(input.AccessPointId as string));
    return undefined;
  },
};
