// ACCESS (RFC 8881 §18.1): which of the asked rights the caller has, from the engine's permission check.
import { R_OK, W_OK, X_OK } from '../../../engine/index.ts';
import { Access4 } from '../constants.ts';
import { attrOf, callerOf, curNode, ok, type OpHandler } from '../compound.ts';

const ALL = Access4.READ | Access4.LOOKUP | Access4.MODIFY | Access4.EXTEND | Access4.DELETE | Access4.EXECUTE;
const WRITES = Access4.MODIFY | Access4.EXTEND | Access4.DELETE;

export const access: OpHandler = async (c, r) => {
  const asked = r.u32() & ALL;
  const n = curNode(c);
  let granted: number;
  if (n.kind === 'pseudo') {
    granted = asked & (Access4.READ | Access4.LOOKUP | Access4.EXECUTE);
  } else {
    const a = await attrOf(n);
    const mask = await n.exp.volume.access(callerOf(c, n), n.ino, R_OK | W_OK | X_OK);
    const isDir = a.type === 'dir';
    granted = 0;
    if (mask & R_OK) granted |= Access4.READ;
    if (mask & W_OK) granted |= Access4.MODIFY | Access4.EXTEND | (isDir ? Access4.DELETE : 0);
    if (mask & X_OK) granted |= isDir ? Access4.LOOKUP : Access4.EXECUTE;
    if (n.exp.rules.readOnly || n.exp.volume.readOnly) granted &= ~WRITES;
    granted &= asked;
  }
  return ok((w) => {
    w.u32(asked);
    w.u32(granted);
  });
};
