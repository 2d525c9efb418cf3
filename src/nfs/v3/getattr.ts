// GETATTR (RFC 1813 3.3.1).
import { Nfs3Status } from './constants.ts';
import { writeFattr3 } from './attrs.ts';
import type { V3Procedure } from './request.ts';

export const getattr: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  try {
    const t = await req.resolve(fh);
    out.u32(Nfs3Status.OK);
    writeFattr3(out, t.attr, t.exp.fsid);
  } catch (e) {
    req.fail(out, e);
  }
};
