// WRITE (RFC 1813 3.3.7): stable_how maps onto the engine's durability levels; the verifier is the volume's.
import type { Stability } from '../../engine/index.ts';
import { Nfs3Status, NFS3_MAX_IO, StableHow } from './constants.ts';
import { writeWcc } from './attrs.ts';
import { attrsAfter, NO_FSID, type Target, type V3Procedure } from './request.ts';
import { Nfs3Error } from './status.ts';
import { XdrError } from '../xdr/errors.ts';

const STABILITY: Record<number, Stability> = {
  [StableHow.UNSTABLE]: 'unstable',
  [StableHow.DATA_SYNC]: 'data_sync',
  [StableHow.FILE_SYNC]: 'file_sync',
};
const STABLE_HOW: Record<Stability, number> = { unstable: StableHow.UNSTABLE, data_sync: StableHow.DATA_SYNC, file_sync: StableHow.FILE_SYNC };

export const write: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  const offset = req.args.u64n();
  const count = req.args.u32();
  const stable = STABILITY[req.args.u32()];
  if (!stable) throw new XdrError('bad stable_how');
  const data = req.args.opaqueParts(NFS3_MAX_IO);
  let t: Target | undefined;
  try {
    t = await req.resolveWritable(fh);
    if (t.attr.type === 'dir') throw new Nfs3Error(Nfs3Status.ISDIR);
    if (t.attr.type !== 'file') throw new Nfs3Error(Nfs3Status.INVAL);
    const result = await t.vol.write(t.caller, t.ino, offset, firstBytes(data, count), stable);
    out.u32(Nfs3Status.OK);
    writeWcc(out, { before: t.attr, after: result.attr }, t.exp.fsid);
    out.u32(result.count);
    out.u32(STABLE_HOW[result.committed]);
    out.fixedOpaque(t.vol.writeVerifier);
  } catch (e) {
    req.fail(out, e);
    writeWcc(out, { before: t?.attr, after: await attrsAfter(t) }, t?.exp.fsid ?? NO_FSID);
  }
};

/** The first n bytes of the parts: a client may send more data than its count says (RFC 1813: count is what to write). */
function firstBytes(parts: readonly Buffer[], n: number): Buffer[] {
  const out: Buffer[] = [];
  for (const p of parts) {
    if (n <= 0) break;
    out.push(p.length <= n ? p : p.subarray(0, n));
    n -= p.length;
  }
  return out;
}
