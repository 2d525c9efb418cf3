// COMMIT (RFC 1813 3.3.21): makes the file's unstable writes durable; the verifier tells the client whether
// the server restarted since those writes.
import { Nfs3Status } from './constants.ts';
import { writeWcc } from './attrs.ts';
import { attrsAfter, NO_FSID, type Target, type V3Procedure } from './request.ts';

export const commit: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  req.args.u64();
  req.args.u32();
  let t: Target | undefined;
  try {
    t = await req.resolve(fh);
    await t.vol.commit(t.ino);
    out.u32(Nfs3Status.OK);
    writeWcc(out, { before: t.attr, after: await attrsAfter(t) }, t.exp.fsid);
    out.fixedOpaque(t.vol.writeVerifier);
  } catch (e) {
    req.fail(out, e);
    writeWcc(out, { before: t?.attr, after: await attrsAfter(t) }, t?.exp.fsid ?? NO_FSID);
  }
};
