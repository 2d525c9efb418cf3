// An access point's RootDirectory inside the volume: looked up as root, missing components created with
// CreationInfo's owner and permissions (without CreationInfo a missing path stays missing, as in the reference).
import { isFsError, ROOT_CALLER, ROOT_INODE, type InodeNumber, type Volume } from '../engine/index.ts';
import type { RootDirectory } from './types.ts';

export async function resolveRootDirectory(volume: Volume, root: RootDirectory): Promise<InodeNumber | undefined> {
  let ino = ROOT_INODE;
  for (const name of root.path.split('/').filter((p) => p.length > 0)) {
    try {
      ino = (await volume.lookup(ROOT_CALLER, ino, name)).ino;
    } catch (e) {
      if (!isFsError(e, 'ENOENT')) throw e;
      const info = root.creationInfo;
      if (!info) return undefined;
      const mode = parseInt(info.permissions, 8);
      ino = (await volume.mkdir(ROOT_CALLER, ino, name, mode, { mode, uid: info.ownerUid, gid: info.ownerGid })).ino;
    }
  }
  return ino;
}
