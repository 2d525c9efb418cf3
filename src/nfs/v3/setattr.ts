// SETATTR (RFC 1813 3.3.2), with the ctime guard.
import { Nfs3Status } from './constants.ts';
import { readSattr3, readSattrGuard, writeWcc } from './attrs.ts';
import { attrsAfter, NO_FSID, type Target, type V3Procedure } from './request.ts';
import { Nfs3Error } from './status.ts';

export const setattr: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  const set = readSattr3(req.args);
  const guard = readSattrGuard(req.args);
  let t: Target | undefined;
  try {
    t = await req.resolveWritable(fh);
    if (guard && (guard.sec !== t.attr.ctime.sec || guard.nsec !== t.attr.ctime.nsec)) {
      throw new Nfs3Error(Nfs3Status.NOT_SYNC);
    }
    const after = await t.vol.setattr(t.caller, t.ino, set);
    out.u32(Nfs3Status.OK);
    writeWcc(out, { before: t.attr, after }, t.exp.fsid);
  } catch (e) {
    req.fail(out, e);
    writeWcc(out, { before: t?.attr, after: await attrsAfter(t) }, t?.exp.fsid ?? NO_FSID);
  }
};
