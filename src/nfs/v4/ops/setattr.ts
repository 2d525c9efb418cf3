// SETATTR (RFC 8881 §18.30). The result carries the applied bitmap even on error.
import { parseSetAttr, readFattr } from '../attrs.ts';
import { bitmapOf, writeBitmap } from '../bitmap.ts';
import { callerOf, curNode, requireWritable, type OpHandler } from '../compound.ts';
import { Status } from '../constants.ts';
import { checkIoStateid } from '../io-stateid.ts';
import { readStateid } from '../state/stateid.ts';
import { statusOf } from '../status.ts';

export const setattr: OpHandler = async (c, r) => {
  const sid = readStateid(r);
  const f = readFattr(r);
  try {
    const n = requireWritable(curNode(c));
    const { set, bits } = parseSetAttr(f);
    if (set.size !== undefined) checkIoStateid(c, sid, n, true);
    await n.exp.volume.setattr(callerOf(c, n), n.ino, set);
    return { status: Status.OK, encode: (w) => writeBitmap(w, bitmapOf(bits)) };
  } catch (e) {
    const { status, unexpected } = statusOf(e);
    if (unexpected) throw e;
    return { status, encode: (w) => writeBitmap(w, []) };
  }
};
