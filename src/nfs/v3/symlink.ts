// SYMLINK (RFC 1813 3.3.10).
import { readSattr3 } from './attrs.ts';
import { readDirOpArgs, runDirOp } from './dirop.ts';
import type { V3Procedure } from './request.ts';

export const symlink: V3Procedure = async (req, out) => {
  const args = readDirOpArgs(req);
  const { mode: _mode, ...attrs } = readSattr3(req.args);
  const target = req.args.string(4096);
  await runDirOp(req, out, args, (dir) => dir.vol.symlink(dir.caller, dir.ino, args.name, target, attrs));
};
