// MKDIR (RFC 1813 3.3.9).
import { readSattr3 } from './attrs.ts';
import { readDirOpArgs, runDirOp } from './dirop.ts';
import type { V3Procedure } from './request.ts';

export const mkdir: V3Procedure = async (req, out) => {
  const args = readDirOpArgs(req);
  const { mode, ...rest } = readSattr3(req.args);
  await runDirOp(req, out, args, (dir) => dir.vol.mkdir(dir.caller, dir.ino, args.name, mode ?? 0o755, rest));
};
