// CREATE (RFC 1813 3.3.8): UNCHECKED opens an existing file (applying a size), GUARDED refuses it, EXCLUSIVE
// stores the client's verifier so a retransmitted create succeeds.
import { CreateMode3 } from './constants.ts';
import { readSattr3 } from './attrs.ts';
import { readDirOpArgs, runDirOp } from './dirop.ts';
import type { V3Procedure } from './request.ts';
import type { CreateOptions, SetAttr } from '../../engine/index.ts';
import { XdrError } from '../xdr/errors.ts';

const DEFAULT_MODE = 0o644;

export const create: V3Procedure = async (req, out) => {
  const args = readDirOpArgs(req);
  const how = req.args.u32();
  let opts: CreateOptions;
  let set: SetAttr = {};
  if (how === CreateMode3.EXCLUSIVE) {
    opts = { mode: DEFAULT_MODE, exclusive: true, verifier: Buffer.from(req.args.fixedOpaque(8)) };
  } else if (how === CreateMode3.UNCHECKED || how === CreateMode3.GUARDED) {
    const { mode, ...rest } = readSattr3(req.args);
    set = rest;
    opts = { mode: mode ?? DEFAULT_MODE, exclusive: how === CreateMode3.GUARDED, attrs: rest };
  } else {
    throw new XdrError(`bad createmode3 ${how}`);
  }
  await runDirOp(req, out, args, async (dir) => {
    const { attr, created } = await dir.vol.create(dir.caller, dir.ino, args.name, opts);
    // An UNCHECKED create of an existing file still truncates it when the client asked for a size.
    if (!created && how === CreateMode3.UNCHECKED && set.size !== undefined) {
      return dir.vol.setattr(dir.caller, attr.ino, { size: set.size });
    }
    return attr;
  });
};
