// What every FSx operation handler gets, and the conversions they share.
import type { Tag as WireTag } from '@aws-sdk/client-fsx';
import type { FathomService } from '../../service/service.ts';
import type { Scope, Tag } from '../../service/types.ts';
import type { Wire } from '../efs/wire-shapes.ts';
import { fsxFileSystemWire } from './wire-shapes.ts';

export interface FsxCall {
  service: FathomService;
  scope: Scope;
}
export type FsxHandler = (input: Wire, call: FsxCall) => Promise<Wire> | Wire;

export const tagsIn = (tags: readonly WireTag[] | undefined): Tag[] | undefined => tags?.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
export const wireOf = (call: FsxCall) => (fs: Parameters<typeof fsxFileSystemWire>[0]) =>
  fsxFileSystemWire(fs, call.service.accountId, call.service.ctx.region(call.scope.region), call.service.restores.hydrationOf(fs.id));
