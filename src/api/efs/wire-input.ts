// EFS wire input → service types.
import type { CreationInfo, PosixUser as WirePosixUser, RootDirectory as WireRootDirectory, Tag as WireTag } from '@aws-sdk/client-efs';
import type { PosixUser, RootDirectory, Tag } from '../../service/types.ts';

export function fromWireTags(tags: readonly WireTag[] | undefined): Tag[] | undefined {
  return tags?.map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

export function fromWirePosixUser(u: WirePosixUser | undefined): PosixUser | undefined {
  return u && { uid: Number(u.Uid), gid: Number(u.Gid), secondaryGids: (u.SecondaryGids ?? []).map(Number) };
}

export function fromWireRootDirectory(r: WireRootDirectory | undefined): RootDirectory | undefined {
  if (!r) return undefined;
  const info: CreationInfo | undefined = r.CreationInfo;
  return { path: r.Path ?? '/', creationInfo: info && { ownerUid: Number(info.OwnerUid), ownerGid: Number(info.OwnerGid), permissions: info.Permissions ?? '' } };
}
