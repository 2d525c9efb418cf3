// POSIX permission rules, in one place. Mode bits are checked owner → group → other, as the kernel does;
// root (uid 0) may read and write anything and execute anything with at least one x bit.
import { FsError, R_OK, W_OK, X_OK, type Caller } from './types.ts';
import type { InodeRow } from './meta/store.ts';

export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

export function inGroup(caller: Caller, gid: number): boolean {
  return caller.gid === gid || caller.gids.includes(gid);
}

/** The subset of `mask` (R_OK|W_OK|X_OK) the caller is granted on the inode. */
export function allowedAccess(caller: Caller, ino: Pick<InodeRow, 'mode' | 'uid' | 'gid' | 'type'>, mask: number): number {
  if (caller.uid === 0) {
    const anyExec = ino.type === 'dir' || (ino.mode & 0o111) !== 0;
    return mask & (R_OK | W_OK | (anyExec ? X_OK : 0));
  }
  let bits: number;
  if (caller.uid === ino.uid) bits = (ino.mode >> 6) & 7;
  else if (inGroup(caller, ino.gid)) bits = (ino.mode >> 3) & 7;
  else bits = ino.mode & 7;
  return mask & bits;
}

export function requireAccess(caller: Caller, ino: InodeRow, mask: number): void {
  if (allowedAccess(caller, ino, mask) !== mask) throw new FsError('EACCES', `access ${mask} denied on inode ${ino.ino}`);
}

/**
 * Data I/O on a file: like knfsd, the owner may always read and write (a client creating a 0444 file and then
 * writing through the same open relies on this); everyone else needs the mode bits.
 */
export function requireIoAccess(caller: Caller, ino: InodeRow, mask: number): void {
  if (caller.uid === ino.uid) return;
  requireAccess(caller, ino, mask);
}

/** Deleting or renaming `victim` out of `dir`: the sticky bit limits it to the owners of either, and root. */
export function requireStickyOk(caller: Caller, dir: InodeRow, victim: InodeRow): void {
  if ((dir.mode & S_ISVTX) === 0 || caller.uid === 0) return;
  if (caller.uid !== dir.uid && caller.uid !== victim.uid) {
    throw new FsError('EPERM', 'sticky directory: only the owner of the file or directory may remove it');
  }
}

export function isOwnerOrRoot(caller: Caller, ino: InodeRow): boolean {
  return caller.uid === 0 || caller.uid === ino.uid;
}
