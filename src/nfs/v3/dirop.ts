// The shape shared by CREATE, MKDIR, SYMLINK and MKNOD: diropargs3 in, diropres3 out
// (post_op_fh3 + post_op_attr + wcc data of the directory).
import type { Attr } from '../../engine/index.ts';
import { Nfs3Status } from './constants.ts';
import { writePostOpAttr, writeWcc } from './attrs.ts';
import { attrsAfter, handleFor, NO_FSID, type Target, type V3Request } from './request.ts';
import type { XdrWriter } from '../xdr/writer.ts';

export interface DirOpArgs {
  dir: Buffer;
  name: string;
}

export function readDirOpArgs(req: V3Request): DirOpArgs {
  return { dir: req.readHandle(), name: req.args.string() };
}

/** Resolves the (writable) directory, runs `make`, and writes diropres3 either way. */
export async function runDirOp(req: V3Request, out: XdrWriter, args: DirOpArgs, make: (dir: Target) => Promise<Attr>): Promise<void> {
  let dir: Target | undefined;
  try {
    dir = await req.resolveWritable(args.dir);
    const attr = await make(dir);
    out.u32(Nfs3Status.OK);
    out.bool(true);
    out.opaque(handleFor(req.env.handles, dir.exp, attr));
    writePostOpAttr(out, attr, dir.exp.fsid);
    writeWcc(out, { before: dir.attr, after: await attrsAfter(dir) }, dir.exp.fsid);
  } catch (e) {
    req.fail(out, e);
    writeWcc(out, { before: dir?.attr, after: await attrsAfter(dir) }, dir?.exp.fsid ?? NO_FSID);
  }
}
