// READLINK (RFC 8881 §18.24).
import { Status } from '../constants.ts';
import { attrOf, curObject, ok, type OpHandler } from '../compound.ts';
import { fail } from '../status.ts';

export const readlink: OpHandler = async (c) => {
  const n = curObject(c);
  const a = await attrOf(n);
  if (a.type !== 'symlink') fail(Status.INVAL);
  const target = await n.exp.volume.readlink(n.ino);
  return ok((w) => w.string(target));
};
