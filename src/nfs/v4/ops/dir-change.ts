// Runs a directory-modifying engine call and reports the directory's change attribute around it.
import type { ObjectNode } from '../node.ts';
import { attrOf } from '../compound.ts';
import type { ChangeInfo } from '../change-info.ts';
import { Status } from '../constants.ts';
import { fail } from '../status.ts';

export async function requireDir(n: ObjectNode): Promise<number> {
  const a = await attrOf(n);
  if (a.type !== 'dir') fail(Status.NOTDIR);
  return a.change;
}

export async function withDirChange<T>(dir: ObjectNode, run: () => Promise<T>): Promise<{ result: T; cinfo: ChangeInfo }> {
  const before = await requireDir(dir);
  const result = await run();
  const after = (await dir.exp.volume.getattr(dir.ino)).change;
  return { result, cinfo: { before, after } };
}
