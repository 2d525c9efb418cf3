// VERIFY and NVERIFY (RFC 8881 §18.31, §18.15): compare client-supplied attribute values with ours.
import { attrSource } from '../attr-source.ts';
import { fattrMatches, readFattr } from '../attrs.ts';
import { Status } from '../constants.ts';
import { curNode, OK, type OpHandler } from '../compound.ts';
import { fail } from '../status.ts';

function verifyOp(wantSame: boolean): OpHandler {
  return async (c, r) => {
    const f = readFattr(r);
    const src = await attrSource(c.server, curNode(c), f.bitmap);
    const same = fattrMatches(f, src);
    if (same !== wantSame) fail(wantSame ? Status.NOT_SAME : Status.SAME);
    return OK;
  };
}

export const verify = verifyOp(true);
export const nverify = verifyOp(false);
