// WRITE (RFC 8881 §18.32): stability maps straight onto the engine's durability API.
import type { Stability } from '../../../engine/index.ts';
import { MAX_IO, StableHow, Status } from '../constants.ts';
import { attrOf, callerOf, curNode, ok, requireWritable, type OpHandler } from '../compound.ts';
import { checkIoStateid } from '../io-stateid.ts';
import { readStateid } from '../state/stateid.ts';
import { fail } from '../status.ts';

const STABILITY: Stability[] = ['unstable', 'data_sync', 'file_sync'];
const HOW: Record<Stability, number> = {
  unstable: StableHow.UNSTABLE, data_sync: StableHow.DATA_SYNC, file_sync: StableHow.FILE_SYNC,
};

export const write: OpHandler = async (c, r) => {
  const sid = readStateid(r);
  const offset = r.u64n();
  const how = r.u32();
  const data = r.opaqueParts(MAX_IO);
  const stability = STABILITY[how];
  if (!stability) fail(Status.INVAL, `stable_how ${how}`);
  const n = requireWritable(curNode(c));
  const a = await attrOf(n);
  if (a.type === 'dir') fail(Status.ISDIR);
  if (a.type !== 'file') fail(Status.INVAL);
  const open = checkIoStateid(c, sid, n, true);
  const res = await n.exp.volume.write(callerOf(c, n), n.ino, offset, data, stability);
  if (open && res.committed === 'unstable') open.uncommitted = true;
  const verifier = n.exp.volume.writeVerifier;
  return ok((w) => {
    w.u32(res.count);
    w.u32(HOW[res.committed]);
    w.fixedOpaque(verifier);
  });
};
