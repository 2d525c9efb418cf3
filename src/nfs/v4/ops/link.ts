// LINK (RFC 8881 §18.9): saved fh is the existing file, current fh the directory for the new name.
import { writeChangeInfo } from '../change-info.ts';
import { Status } from '../constants.ts';
import { callerOf, curNode, ok, requireWritable, type OpHandler } from '../compound.ts';
import { readComponent } from '../names.ts';
import { fail } from '../status.ts';
import { withDirChange } from './dir-change.ts';

export const link: OpHandler = async (c, r) => {
  const name = readComponent(r);
  if (!c.saved) fail(Status.NOFILEHANDLE);
  const dir = requireWritable(curNode(c));
  const src = c.saved;
  if (src.kind === 'pseudo') fail(Status.ISDIR);
  if (src.exp.id !== dir.exp.id) fail(Status.XDEV);
  const { cinfo } = await withDirChange(dir, () => dir.exp.volume.link(callerOf(c, dir), src.ino, dir.ino, name));
  return ok((w) => writeChangeInfo(w, cinfo));
};
