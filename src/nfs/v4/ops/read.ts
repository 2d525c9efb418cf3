// READ (RFC 8881 §18.22).
import { Status, MAX_IO } from '../constants.ts';
import { attrOf, callerOf, curObject, ok, type OpHandler } from '../compound.ts';
import { checkIoStateid } from '../io-stateid.ts';
import { readStateid } from '../state/stateid.ts';
import { fail } from '../status.ts';

export const read: OpHandler = async (c, r) => {
  const sid = readStateid(r);
  const offset = r.u64n();
  const count = Math.min(r.u32(), MAX_IO);
  const n = curObject(c, Status.ISDIR);
  const a = await attrOf(n);
  if (a.type === 'dir') fail(Status.ISDIR);
  if (a.type === 'symlink') fail(Status.INVAL);
  checkIoStateid(c, sid, n, false);
  const res = await n.exp.volume.read(callerOf(c, n), n.ino, offset, count);
  return ok((w) => {
    w.bool(res.eof);
    w.opaqueRef(res.data);
  });
};
