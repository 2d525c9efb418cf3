// READLINK (RFC 1813 3.3.5).
import { Nfs3Status } from './constants.ts';
import { writePostOpAttr } from './attrs.ts';
import { NO_FSID, type Target, type V3Procedure } from './request.ts';
import { Nfs3Error } from './status.ts';

export const readlink: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  let t: Target | undefined;
  try {
    t = await req.resolve(fh);
    if (t.attr.type !== 'symlink') throw new Nfs3Error(Nfs3Status.INVAL);
    const path = await t.vol.readlink(t.ino);
    out.u32(Nfs3Status.OK);
    writePostOpAttr(out, t.attr, t.exp.fsid);
    out.string(path);
  } catch (e) {
    req.fail(out, e);
    writePostOpAttr(out, t?.attr, t?.exp.fsid ?? NO_FSID);
  }
};
