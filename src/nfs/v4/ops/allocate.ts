// ALLOCATE and DEALLOCATE (RFC 7862 §15.1, §15.4).
import { Status } from '../constants.ts';
import { attrOf, callerOf, curNode, OK, requireWritable, type OpHandler } from '../compound.ts';
import { checkIoStateid } from '../io-stateid.ts';
import { readStateid } from '../state/stateid.ts';
import { fail } from '../status.ts';

function spaceOp(kind: 'allocate' | 'deallocate'): OpHandler {
  return async (c, r) => {
    const sid = readStateid(r);
    const offset = r.u64n();
    const length = r.u64n();
    const n = requireWritable(curNode(c));
    const a = await attrOf(n);
    if (a.type === 'dir') fail(Status.ISDIR);
    if (a.type !== 'file') fail(Status.INVAL);
    checkIoStateid(c, sid, n, true);
    await n.exp.volume[kind](callerOf(c, n), n.ino, offset, length);
    return OK;
  };
}

export const allocate = spaceOp('allocate');
export const deallocate = spaceOp('deallocate');
