// The identities the model test acts as. Everything is created by root, so the others exercise the group and
// other permission classes (by primary gid, and by a supplementary gid).
import type { Caller } from '../types.ts';

export type Who = 'root' | 'group' | 'groupBySupplementary' | 'other';

export const CALLERS: Readonly<Record<Who, Caller>> = {
  root: { uid: 0, gid: 0, gids: [] },
  group: { uid: 1000, gid: 0, gids: [] },
  groupBySupplementary: { uid: 1001, gid: 1001, gids: [7, 0] },
  other: { uid: 1002, gid: 1002, gids: [5] },
};

const R = 4;
const X = 1;

/** POSIX: root reads and writes anything, executes files with any x bit; others get their class's bits. */
export function expectedAccess(who: Who, kind: 'file' | 'dir' | 'symlink', mode: number, mask: number): number {
  if (who === 'root') return mask & (R | 2 | (kind === 'dir' || (mode & 0o111) !== 0 ? X : 0));
  const bits = who === 'other' ? mode & 7 : (mode >> 3) & 7;
  return mask & bits;
}
