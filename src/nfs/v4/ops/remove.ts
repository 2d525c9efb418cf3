// REMOVE (RFC 8881 §18.25): files and empty directories alike.
import { writeChangeInfo } from '../change-info.ts';
import { callerOf, curNode, ok, requireWritable, type OpHandler } from '../compound.ts';
import { readComponent } from '../names.ts';
import { withDirChange } from './dir-change.ts';

export const remove: OpHandler = async (c, r) => {
  const name = readComponent(r);
  const dir = requireWritable(curNode(c));
  const caller = callerOf(c, dir);
  const v = dir.exp.volume;
  const { cinfo } = await withDirChange(dir, async () => {
    const target = await v.lookup(caller, dir.ino, name);
    if (target.type === 'dir') await v.rmdir(caller, dir.ino, name);
    else await v.unlink(caller, dir.ino, name);
  });
  return ok((w) => writeChangeInfo(w, cinfo));
};
