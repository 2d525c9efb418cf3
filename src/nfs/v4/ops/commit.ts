// COMMIT (RFC 8881 §18.3): the engine makes the file's data and metadata durable.
import { Status } from '../constants.ts';
import { attrOf, curObject, ok, type OpHandler } from '../compound.ts';
import { fail } from '../status.ts';

export const commit: OpHandler = async (c, r) => {
  r.u64();
  r.u32();
  const n = curObject(c, Status.ISDIR);
  const a = await attrOf(n);
  if (a.type === 'dir') fail(Status.ISDIR);
  if (a.type !== 'file') fail(Status.INVAL);
  await n.exp.volume.commit(n.ino);
  for (const open of c.server.state.opensOf(n)) open.uncommitted = false;
  const verifier = n.exp.volume.writeVerifier;
  return ok((w) => w.fixedOpaque(verifier));
};
