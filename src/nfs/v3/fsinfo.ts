// FSSTAT, FSINFO and PATHCONF (RFC 1813 3.3.18-20): file system wide facts, answered for any handle.
import { MAX_FILE_SIZE, NAME_MAX } from '../../engine/index.ts';
import { FsfProperties, Nfs3Status, NFS3_MAX_IO } from './constants.ts';
import { writePostOpAttr } from './attrs.ts';
import { NO_FSID, type Target, type V3Procedure, type V3Request } from './request.ts';
import { XdrWriter } from '../xdr/writer.ts';

const LINK_MAX = 0xffff_ffff;

function withTarget(body: (t: Target, out: XdrWriter) => Promise<void> | void): V3Procedure {
  return async (req: V3Request, out) => {
    const fh = req.readHandle();
    let t: Target | undefined;
    try {
      t = await req.resolve(fh);
      const w = new XdrWriter(128);
      await body(t, w);
      out.u32(Nfs3Status.OK);
      writePostOpAttr(out, t.attr, t.exp.fsid);
      out.fixedOpaque(w.finish());
    } catch (e) {
      req.fail(out, e);
      writePostOpAttr(out, t?.attr, t?.exp.fsid ?? NO_FSID);
    }
  };
}

export const fsstat = withTarget(async (t, w) => {
  const s = await t.vol.statfs();
  w.u64(s.totalBytes);
  w.u64(s.freeBytes);
  w.u64(s.availBytes);
  w.u64(s.totalFiles);
  w.u64(s.freeFiles);
  w.u64(s.availFiles);
  w.u32(0);
});

export const fsinfo = withTarget((_t, w) => {
  w.u32(NFS3_MAX_IO); // rtmax
  w.u32(NFS3_MAX_IO); // rtpref
  w.u32(4096); // rtmult
  w.u32(NFS3_MAX_IO); // wtmax
  w.u32(NFS3_MAX_IO); // wtpref
  w.u32(4096); // wtmult
  w.u32(64 * 1024); // dtpref
  w.u64(MAX_FILE_SIZE);
  w.u32(0); // time_delta: 1 ns
  w.u32(1);
  w.u32(FsfProperties.LINK | FsfProperties.SYMLINK | FsfProperties.HOMOGENEOUS | FsfProperties.CANSETTIME);
});

export const pathconf = withTarget((_t, w) => {
  w.u32(LINK_MAX);
  w.u32(NAME_MAX);
  w.bool(true); // no_trunc: long names are refused, not truncated
  w.bool(true); // chown_restricted
  w.bool(false); // case_insensitive
  w.bool(true); // case_preserving
});
