// ACCESS (RFC 1813 3.3.4): the engine's POSIX check, mapped to NFSv3 access bits, minus writes on a
// read-only export.
import { R_OK, W_OK, X_OK } from '../../engine/index.ts';
import { Access3, Nfs3Status } from './constants.ts';
import { writePostOpAttr } from './attrs.ts';
import { NO_FSID, type Target, type V3Procedure } from './request.ts';

export const access: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  const asked = req.args.u32();
  let t: Target | undefined;
  try {
    t = await req.resolve(fh);
    const posix = await t.vol.access(t.caller, t.ino, R_OK | W_OK | X_OK);
    const readOnly = t.exp.rules.readOnly || t.vol.readOnly;
    out.u32(Nfs3Status.OK);
    writePostOpAttr(out, t.attr, t.exp.fsid);
    out.u32(asked & grantedBits(posix, t.attr.type === 'dir', readOnly));
  } catch (e) {
    req.fail(out, e);
    writePostOpAttr(out, t?.attr, t?.exp.fsid ?? NO_FSID);
  }
};

function grantedBits(posix: number, isDir: boolean, readOnly: boolean): number {
  let bits = 0;
  if (posix & R_OK) bits |= Access3.READ;
  if (posix & W_OK && !readOnly) bits |= Access3.MODIFY | Access3.EXTEND | (isDir ? Access3.DELETE : 0);
  if (posix & X_OK) bits |= isDir ? Access3.LOOKUP : Access3.EXECUTE;
  return bits;
}
