// SEEK (RFC 7862 §15.11): next data or hole at or after an offset.
import { Status } from '../constants.ts';
import { attrOf, curObject, ok, type OpHandler } from '../compound.ts';
import { checkIoStateid } from '../io-stateid.ts';
import { readStateid } from '../state/stateid.ts';
import { fail } from '../status.ts';

export const seek: OpHandler = async (c, r) => {
  const sid = readStateid(r);
  const offset = r.u64n();
  const what = r.u32();
  if (what > 1) fail(Status.UNION_NOTSUPP);
  const n = curObject(c, Status.ISDIR);
  const a = await attrOf(n);
  if (a.type === 'dir') fail(Status.ISDIR);
  if (a.type !== 'file') fail(Status.INVAL);
  checkIoStateid(c, sid, n, false);
  const at = await n.exp.volume.seek(n.ino, offset, what === 0 ? 'data' : 'hole');
  return ok((w) => {
    w.bool(false);
    w.u64(at);
  });
};
