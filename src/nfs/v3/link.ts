// LINK (RFC 1813 3.3.15).
import { Nfs3Status } from './constants.ts';
import { writePostOpAttr, writeWcc } from './attrs.ts';
import { readDirOpArgs } from './dirop.ts';
import { attrsAfter, NO_FSID, type Target, type V3Procedure } from './request.ts';
import { Nfs3Error } from './status.ts';

export const link: V3Procedure = async (req, out) => {
  const fileFh = req.readHandle();
  const to = readDirOpArgs(req);
  let file: Target | undefined;
  let dir: Target | undefined;
  try {
    file = await req.resolve(fileFh);
    dir = await req.resolveWritable(to.dir);
    if (file.exp.id !== dir.exp.id) throw new Nfs3Error(Nfs3Status.XDEV);
    await dir.vol.link(dir.caller, file.ino, dir.ino, to.name);
    out.u32(Nfs3Status.OK);
  } catch (e) {
    req.fail(out, e);
  }
  writePostOpAttr(out, await attrsAfter(file), file?.exp.fsid ?? NO_FSID);
  writeWcc(out, { before: dir?.attr, after: await attrsAfter(dir) }, dir?.exp.fsid ?? NO_FSID);
};
