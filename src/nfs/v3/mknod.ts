// MKNOD (RFC 1813 3.3.11): devices, sockets and FIFOs; other types are BADTYPE.
import { Ftype3, Nfs3Status } from './constants.ts';
import { readSattr3 } from './attrs.ts';
import { readDirOpArgs, runDirOp } from './dirop.ts';
import type { V3Procedure } from './request.ts';
import { Nfs3Error } from './status.ts';

const NODE_TYPE = { [Ftype3.CHR]: 'chr', [Ftype3.BLK]: 'blk', [Ftype3.SOCK]: 'socket', [Ftype3.FIFO]: 'fifo' } as const;

export const mknod: V3Procedure = async (req, out) => {
  const args = readDirOpArgs(req);
  const ftype = req.args.u32();
  const type = NODE_TYPE[ftype as keyof typeof NODE_TYPE];
  const { mode, ...attrs } = type ? readSattr3(req.args) : {};
  const rdev = ftype === Ftype3.CHR || ftype === Ftype3.BLK ? { major: req.args.u32(), minor: req.args.u32() } : undefined;
  await runDirOp(req, out, args, (dir) => {
    if (!type) throw new Nfs3Error(Nfs3Status.BADTYPE);
    return dir.vol.mknod(dir.caller, dir.ino, args.name, type, mode ?? 0o644, rdev, attrs);
  });
};
