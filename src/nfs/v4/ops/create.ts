// CREATE (RFC 8881 §18.4): directories, symlinks, devices, sockets and fifos (regular files use OPEN).
import type { Attr, SetAttr } from '../../../engine/index.ts';
import { parseSetAttr, readFattr } from '../attrs.ts';
import { bitmapOf, writeBitmap } from '../bitmap.ts';
import { writeChangeInfo } from '../change-info.ts';
import { FileType4, Status } from '../constants.ts';
import { callerOf, curNode, nodeFor, ok, requireWritable, type Compound, type OpHandler } from '../compound.ts';
import { readComponent } from '../names.ts';
import type { ObjectNode } from '../node.ts';
import { fail } from '../status.ts';
import type { XdrReader } from '../../xdr/reader.ts';
import { withDirChange } from './dir-change.ts';

type What =
  | { type: 'dir' }
  | { type: 'symlink'; target: string }
  | { type: 'fifo' | 'socket' }
  | { type: 'chr' | 'blk'; rdev: { major: number; minor: number } };

function readCreateType(r: XdrReader): What {
  const t = r.u32();
  switch (t) {
    case FileType4.DIR: return { type: 'dir' };
    case FileType4.LNK: return { type: 'symlink', target: r.string(4096) };
    case FileType4.BLK:
    case FileType4.CHR: return { type: t === FileType4.BLK ? 'blk' : 'chr', rdev: { major: r.u32(), minor: r.u32() } };
    case FileType4.SOCK: return { type: 'socket' };
    case FileType4.FIFO: return { type: 'fifo' };
    case FileType4.REG: return fail(Status.BADTYPE);
    default: return fail(Status.BADTYPE);
  }
}

function make(c: Compound, dir: ObjectNode, name: string, what: What, set: SetAttr): Promise<Attr> {
  const v = dir.exp.volume;
  const caller = callerOf(c, dir);
  const mode = set.mode ?? (what.type === 'dir' ? 0o755 : 0o644);
  const attrs: SetAttr = { ...set, mode: undefined };
  switch (what.type) {
    case 'dir': return v.mkdir(caller, dir.ino, name, mode, attrs);
    case 'symlink': return v.symlink(caller, dir.ino, name, what.target, set);
    case 'chr':
    case 'blk': return v.mknod(caller, dir.ino, name, what.type, mode, what.rdev, attrs);
    default: return v.mknod(caller, dir.ino, name, what.type, mode, undefined, attrs);
  }
}

export const create: OpHandler = async (c, r) => {
  const what = readCreateType(r);
  const name = readComponent(r);
  const f = readFattr(r);
  const dir = requireWritable(curNode(c));
  const { set, bits } = parseSetAttr(f);
  const { result, cinfo } = await withDirChange(dir, () => make(c, dir, name, what, set));
  c.cur = nodeFor(dir, result);
  return ok((w) => {
    writeChangeInfo(w, cinfo);
    writeBitmap(w, bitmapOf(bits));
  });
};
