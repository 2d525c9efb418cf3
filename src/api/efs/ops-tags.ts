// EFS tags: the legacy CreateTags/DeleteTags/DescribeTags (file systems) and TagResource/UntagResource/
// ListTagsForResource (file systems and access points).
import type { Tag as WireTag } from '@aws-sdk/client-efs';
import { decodeToken, encodeToken } from '../../service/pagination.ts';
import type { Tag } from '../../service/types.ts';
import type { EfsHandler } from './operation.ts';
import { fromWireTags } from './wire-input.ts';
import { wireTags, type Wire } from './wire-shapes.ts';

/** Tag lists are short (≤ 50); pages are slices by position. */
function slice(tags: Tag[], token: string | undefined, max: number | undefined): { tags: Wire[]; next?: string } {
  const start = decodeToken(token);
  const size = max ?? 100;
  const page = tags.slice(start, start + size);
  return { tags: wireTags(page), next: start + size < tags.length ? encodeToken(start + size) : undefined };
}

export const tagOps: Record<string, EfsHandler> = {
  CreateTags: (input, call) => {
    call.service.tags.add(call.scope, 'efs', input.FileSystemId as string, fromWireTags(input.Tags as WireTag[]) ?? []);
    return undefined;
  },
  DeleteTags: (input, call) => {
    call.service.tags.remove(call.scope, 'efs', input.FileSystemId as string, input.TagKeys as string[]);
    return undefined;
  },
  DescribeTags: (input, call) => {
    const page = slice(call.service.tags.list(call.scope, 'efs', input.FileSystemId as string), input.Marker as string | undefined, input.MaxItems as number | undefined);
    return { Marker: input.Marker, Tags: page.tags, NextMarker: page.next };
  },
  TagResource: (input, call) => {
    call.service.tags.add(call.scope, 'efs', input.ResourceId as string, fromWireTags(input.Tags as WireTag[]) ?? []);
    return {};
  },
  UntagResource: (input, call) => {
    call.service.tags.remove(call.scope, 'efs', input.ResourceId as string, input.TagKeys as string[]);
    return {};
  },
  ListTagsForResource: (input, call) => {
    const page = slice(call.service.tags.list(call.scope, 'efs', input.ResourceId as string), input.NextToken as string | undefined, input.MaxResults as number | undefined);
    return { Tags: page.tags, NextToken: page.next };
  },
};
