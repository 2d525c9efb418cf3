// RENAME (RFC 8881 §18.26): saved fh is the source directory, current fh the target directory.
import { writeChangeInfo } from '../change-info.ts';
import { Status } from '../constants.ts';
import { callerOf, curNode, ok, requireWritable, type OpHandler } from '../compound.ts';
import { readComponent } from '../names.ts';
import { fail } from '../status.ts';
import { requireDir } from './dir-change.ts';

export const rename: OpHandler = async (c, r) => {
  const oldName = readComponent(r);
  const newName = readComponent(r);
  if (!c.saved) fail(Status.NOFILEHANDLE);
  const to = requireWritable(curNode(c));
  const from = requireWritable(c.saved);
  if (from.exp.id !== to.exp.id) fail(Status.XDEV);
  const fromBefore = await requireDir(from);
  const toBefore = await requireDir(to);
  await to.exp.volume.rename(callerOf(c, to), from.ino, oldName, to.ino, newName);
  const fromAfter = (await from.exp.volume.getattr(from.ino)).change;
  const toAfter = (await to.exp.volume.getattr(to.ino)).change;
  return ok((w) => {
    writeChangeInfo(w, { before: fromBefore, after: fromAfter });
    writeChangeInfo(w, { before: toBefore, after: toAfter });
  });
};
