// REMOVE and RMDIR (RFC 1813 3.3.12, 3.3.13): same arguments and result, different engine call.
import { Nfs3Status } from './constants.ts';
import { writeWcc } from './attrs.ts';
import { readDirOpArgs } from './dirop.ts';
import { attrsAfter, NO_FSID, type Target, type V3Procedure } from './request.ts';

function removeWith(op: 'unlink' | 'rmdir'): V3Procedure {
  return async (req, out) => {
    const args = readDirOpArgs(req);
    let dir: Target | undefined;
    try {
      dir = await req.resolveWritable(args.dir);
      await dir.vol[op](dir.caller, dir.ino, args.name);
      out.u32(Nfs3Status.OK);
      writeWcc(out, { before: dir.attr, after: await attrsAfter(dir) }, dir.exp.fsid);
    } catch (e) {
      req.fail(out, e);
      writeWcc(out, { before: dir?.attr, after: await attrsAfter(dir) }, dir?.exp.fsid ?? NO_FSID);
    }
  };
}

export const remove = removeWith('unlink');
export const rmdir = removeWith('rmdir');
