// RENAME (RFC 1813 3.3.14): both directories must be in the same export (else XDEV).
import { Nfs3Status } from './constants.ts';
import { writeWcc } from './attrs.ts';
import { readDirOpArgs } from './dirop.ts';
import { attrsAfter, NO_FSID, type Target, type V3Procedure } from './request.ts';
import { Nfs3Error } from './status.ts';

export const rename: V3Procedure = async (req, out) => {
  const from = readDirOpArgs(req);
  const to = readDirOpArgs(req);
  let src: Target | undefined;
  let dst: Target | undefined;
  try {
    src = await req.resolveWritable(from.dir);
    dst = await req.resolveWritable(to.dir);
    if (src.exp.id !== dst.exp.id) throw new Nfs3Error(Nfs3Status.XDEV);
    await src.vol.rename(src.caller, src.ino, from.name, dst.ino, to.name);
    out.u32(Nfs3Status.OK);
  } catch (e) {
    req.fail(out, e);
  }
  writeWcc(out, { before: src?.attr, after: await attrsAfter(src) }, src?.exp.fsid ?? NO_FSID);
  writeWcc(out, { before: dst?.attr, after: await attrsAfter(dst) }, dst?.exp.fsid ?? NO_FSID);
};
