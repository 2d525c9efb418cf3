// fattr3, pre_op_attr/post_op_attr, wcc_data and sattr3 codecs (RFC 1813 section 2.6).
import type { Attr, FileType, SetAttr, Timespec } from '../../engine/index.ts';
import type { XdrReader } from '../xdr/reader.ts';
import type { XdrWriter } from '../xdr/writer.ts';
import { XdrError } from '../xdr/errors.ts';
import { Ftype3, TimeHow } from './constants.ts';

const FTYPE: Record<FileType, number> = {
  file: Ftype3.REG, dir: Ftype3.DIR, blk: Ftype3.BLK, chr: Ftype3.CHR, symlink: Ftype3.LNK, socket: Ftype3.SOCK,
  fifo: Ftype3.FIFO,
};

export function writeTime(w: XdrWriter, t: Timespec): void {
  w.u32(t.sec);
  w.u32(t.nsec);
}

export function writeFattr3(w: XdrWriter, a: Attr, fsid: bigint): void {
  w.u32(FTYPE[a.type]);
  w.u32(a.mode & 0o7777);
  w.u32(a.nlink);
  w.u32(a.uid);
  w.u32(a.gid);
  w.u64(a.size);
  w.u64(a.used);
  w.u32(a.rdev.major);
  w.u32(a.rdev.minor);
  w.u64(fsid);
  w.u64(a.ino);
  writeTime(w, a.atime);
  writeTime(w, a.mtime);
  writeTime(w, a.ctime);
}

export function writePostOpAttr(w: XdrWriter, a: Attr | undefined, fsid: bigint): void {
  w.bool(a !== undefined);
  if (a) writeFattr3(w, a, fsid);
}

export function writePreOpAttr(w: XdrWriter, a: Attr | undefined): void {
  w.bool(a !== undefined);
  if (!a) return;
  w.u64(a.size);
  writeTime(w, a.mtime);
  writeTime(w, a.ctime);
}

/** Attributes around a change: before (pre_op) and after (post_op). */
export interface Wcc {
  before?: Attr;
  after?: Attr;
}

export function writeWcc(w: XdrWriter, wcc: Wcc, fsid: bigint): void {
  writePreOpAttr(w, wcc.before);
  writePostOpAttr(w, wcc.after, fsid);
}

function readTime(r: XdrReader): Timespec {
  const sec = r.u32();
  const nsec = r.u32();
  if (nsec >= 1e9) throw new XdrError(`nsec ${nsec} out of range`);
  return { sec, nsec };
}

function readSetTime(r: XdrReader): Timespec | 'now' | undefined {
  const how = r.u32();
  if (how === TimeHow.DONT_CHANGE) return undefined;
  if (how === TimeHow.SET_TO_SERVER_TIME) return 'now';
  if (how === TimeHow.SET_TO_CLIENT_TIME) return readTime(r);
  throw new XdrError(`bad time_how ${how}`);
}

export function readSattr3(r: XdrReader): SetAttr {
  const set: SetAttr = {};
  if (r.bool()) set.mode = r.u32() & 0o7777;
  if (r.bool()) set.uid = r.u32();
  if (r.bool()) set.gid = r.u32();
  if (r.bool()) set.size = r.u64n();
  const atime = readSetTime(r);
  if (atime !== undefined) set.atime = atime;
  const mtime = readSetTime(r);
  if (mtime !== undefined) set.mtime = mtime;
  return set;
}

/** The guard of SETATTR: ctime the client expects, if any. */
export function readSattrGuard(r: XdrReader): Timespec | undefined {
  return r.bool() ? readTime(r) : undefined;
}
