// LOOKUP (RFC 1813 3.3.3); '.' and '..' resolve here, and '..' never leaves the export's root.
import { FsError, X_OK, type Attr } from '../../engine/index.ts';
import { Nfs3Status } from './constants.ts';
import { writePostOpAttr } from './attrs.ts';
import { attrsAfter, handleFor, NO_FSID, type Target, type V3Procedure } from './request.ts';

export const lookup: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  const name = req.args.string();
  let dir: Target | undefined;
  try {
    dir = await req.resolve(fh);
    const attr = await lookupName(dir, name);
    out.u32(Nfs3Status.OK);
    out.opaque(handleFor(req.env.handles, dir.exp, attr));
    writePostOpAttr(out, attr, dir.exp.fsid);
    writePostOpAttr(out, dir.attr, dir.exp.fsid);
  } catch (e) {
    req.fail(out, e);
    writePostOpAttr(out, await attrsAfter(dir), dir?.exp.fsid ?? NO_FSID);
  }
};

export async function lookupName(dir: Target, name: string): Promise<Attr> {
  if (name === '.' || name === '..') {
    if (dir.attr.type !== 'dir') throw new FsError('ENOTDIR');
    // Searching the directory still needs execute permission on it.
    if (!((await dir.vol.access(dir.caller, dir.ino, X_OK)) & X_OK)) throw new FsError('EACCES');
    if (name === '.' || dir.ino === dir.exp.root) return dir.vol.getattr(dir.ino);
    return dir.vol.getattr(await dir.vol.parentOf(dir.ino));
  }
  return dir.vol.lookup(dir.caller, dir.ino, name);
}
