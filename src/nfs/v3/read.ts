// READ (RFC 1813 3.3.6), at most FSINFO rtmax bytes per call.
import { Nfs3Status, NFS3_MAX_IO } from './constants.ts';
import { writePostOpAttr } from './attrs.ts';
import { attrsAfter, NO_FSID, type Target, type V3Procedure } from './request.ts';
import { Nfs3Error } from './status.ts';

export const read: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  const offset = req.args.u64n();
  const count = Math.min(req.args.u32(), NFS3_MAX_IO);
  let t: Target | undefined;
  try {
    t = await req.resolve(fh);
    if (t.attr.type === 'dir') throw new Nfs3Error(Nfs3Status.ISDIR);
    if (t.attr.type !== 'file') throw new Nfs3Error(Nfs3Status.INVAL);
    const { data, eof } = await t.vol.read(t.caller, t.ino, offset, count);
    const after = (await attrsAfter(t)) ?? t.attr;
    out.u32(Nfs3Status.OK);
    writePostOpAttr(out, after, t.exp.fsid);
    out.u32(data.length);
    out.bool(eof);
    out.opaqueRef(data);
  } catch (e) {
    req.fail(out, e);
    writePostOpAttr(out, t?.attr, t?.exp.fsid ?? NO_FSID);
  }
};
