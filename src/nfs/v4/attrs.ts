// fattr4 encoding and decoding (RFC 8881 §5): which attributes exist, how each is written, and the
// settable subset parsed into an engine SetAttr. Bits a client asks for that we do not support are omitted.
import type { Attr, FileType, SetAttr, StatFs, Timespec } from '../../engine/index.ts';
import { MAX_FILE_SIZE, NAME_MAX } from '../../engine/index.ts';
import { XdrReader } from '../xdr/reader.ts';
import { XdrWriter } from '../xdr/writer.ts';
import { bitmapOf, bitsOf, readBitmap, writeBitmap } from './bitmap.ts';
import { FileType4, MAX_IO, Status } from './constants.ts';
import { fail } from './status.ts';

export const A = {
  SUPPORTED_ATTRS: 0, TYPE: 1, FH_EXPIRE_TYPE: 2, CHANGE: 3, SIZE: 4, LINK_SUPPORT: 5,
  SYMLINK_SUPPORT: 6, NAMED_ATTR: 7, FSID: 8, UNIQUE_HANDLES: 9, LEASE_TIME: 10, RDATTR_ERROR: 11,
  ACLSUPPORT: 13, CANSETTIME: 15, CASE_INSENSITIVE: 16, CASE_PRESERVING: 17, CHOWN_RESTRICTED: 18,
  FILEHANDLE: 19, FILEID: 20, FILES_AVAIL: 21, FILES_FREE: 22, FILES_TOTAL: 23, HOMOGENEOUS: 26,
  MAXFILESIZE: 27, MAXLINK: 28, MAXNAME: 29, MAXREAD: 30, MAXWRITE: 31, MODE: 33, NO_TRUNC: 34,
  NUMLINKS: 35, OWNER: 36, OWNER_GROUP: 37, RAWDEV: 41, SPACE_AVAIL: 42, SPACE_FREE: 43,
  SPACE_TOTAL: 44, SPACE_USED: 45, TIME_ACCESS: 47, TIME_ACCESS_SET: 48, TIME_CREATE: 50,
  TIME_DELTA: 51, TIME_METADATA: 52, TIME_MODIFY: 53, TIME_MODIFY_SET: 54, MOUNTED_ON_FILEID: 55,
  SUPPATTR_EXCLCREAT: 75,
} as const;

/** Everything a GETATTR may see, already fetched (statfs only when a space/files attribute was asked for). */
export interface AttrSource {
  attr: Attr;
  /** The filehandle attribute, encoded only when asked for. */
  fh: () => Buffer;
  fsid: bigint;
  mountedOnFileid: number;
  leaseSeconds: number;
  statfs?: StatFs;
}

type Encoder = (w: XdrWriter, s: AttrSource) => void;

const STATFS_BITS = new Set<number>([
  A.FILES_AVAIL, A.FILES_FREE, A.FILES_TOTAL, A.SPACE_AVAIL, A.SPACE_FREE, A.SPACE_TOTAL,
]);
const SETTABLE = [A.SIZE, A.MODE, A.OWNER, A.OWNER_GROUP, A.TIME_ACCESS_SET, A.TIME_MODIFY_SET];
/** Attributes EXCLUSIVE4_1 may set along with the verifier (RFC 8881 §5.8.1.14): not the times. */
const EXCLCREAT = [A.SIZE, A.MODE, A.OWNER, A.OWNER_GROUP];

const TYPE4: Record<FileType, number> = {
  file: FileType4.REG, dir: FileType4.DIR, symlink: FileType4.LNK, blk: FileType4.BLK,
  chr: FileType4.CHR, socket: FileType4.SOCK, fifo: FileType4.FIFO,
};

function time(w: XdrWriter, t: Timespec): void {
  w.i64(t.sec);
  w.u32(t.nsec);
}
const bool = (v: boolean): Encoder => (w) => w.bool(v);
const u32c = (v: number): Encoder => (w) => w.u32(v);
const u64c = (v: number): Encoder => (w) => w.u64(v);
const statfs = (pick: (s: StatFs) => number): Encoder => (w, s) => w.u64(Math.max(0, pick(s.statfs!)));

const ENCODERS = new Map<number, Encoder>([
  [A.SUPPORTED_ATTRS, (w) => writeBitmap(w, SUPPORTED)],
  [A.TYPE, (w, s) => w.u32(TYPE4[s.attr.type])],
  [A.FH_EXPIRE_TYPE, u32c(0)], // FH4_PERSISTENT
  [A.CHANGE, (w, s) => w.u64(s.attr.change)],
  [A.SIZE, (w, s) => w.u64(s.attr.size)],
  [A.LINK_SUPPORT, bool(true)],
  [A.SYMLINK_SUPPORT, bool(true)],
  [A.NAMED_ATTR, bool(false)],
  [A.FSID, (w, s) => { w.u64(s.fsid); w.u64(0); }],
  [A.UNIQUE_HANDLES, bool(true)],
  [A.LEASE_TIME, (w, s) => w.u32(s.leaseSeconds)],
  [A.RDATTR_ERROR, u32c(0)],
  [A.ACLSUPPORT, u32c(0)],
  [A.CANSETTIME, bool(true)],
  [A.CASE_INSENSITIVE, bool(false)],
  [A.CASE_PRESERVING, bool(true)],
  [A.CHOWN_RESTRICTED, bool(true)],
  [A.FILEHANDLE, (w, s) => w.opaque(s.fh())],
  [A.FILEID, (w, s) => w.u64(s.attr.ino)],
  [A.FILES_AVAIL, statfs((f) => f.availFiles)],
  [A.FILES_FREE, statfs((f) => f.freeFiles)],
  [A.FILES_TOTAL, statfs((f) => f.totalFiles)],
  [A.HOMOGENEOUS, bool(true)],
  [A.MAXFILESIZE, u64c(MAX_FILE_SIZE)],
  [A.MAXLINK, u32c(65000)],
  [A.MAXNAME, u32c(NAME_MAX)],
  [A.MAXREAD, u64c(MAX_IO)],
  [A.MAXWRITE, u64c(MAX_IO)],
  [A.MODE, (w, s) => w.u32(s.attr.mode & 0o7777)],
  [A.NO_TRUNC, bool(true)],
  [A.NUMLINKS, (w, s) => w.u32(s.attr.nlink)],
  [A.OWNER, (w, s) => w.string(String(s.attr.uid))],
  [A.OWNER_GROUP, (w, s) => w.string(String(s.attr.gid))],
  [A.RAWDEV, (w, s) => { w.u32(s.attr.rdev.major); w.u32(s.attr.rdev.minor); }],
  [A.SPACE_AVAIL, statfs((f) => f.availBytes)],
  [A.SPACE_FREE, statfs((f) => f.freeBytes)],
  [A.SPACE_TOTAL, statfs((f) => f.totalBytes)],
  [A.SPACE_USED, (w, s) => w.u64(s.attr.used)],
  [A.TIME_ACCESS, (w, s) => time(w, s.attr.atime)],
  [A.TIME_CREATE, (w, s) => time(w, s.attr.btime)],
  [A.TIME_DELTA, (w) => time(w, { sec: 0, nsec: 1 })],
  [A.TIME_METADATA, (w, s) => time(w, s.attr.ctime)],
  [A.TIME_MODIFY, (w, s) => time(w, s.attr.mtime)],
  [A.MOUNTED_ON_FILEID, (w, s) => w.u64(s.mountedOnFileid)],
  [A.SUPPATTR_EXCLCREAT, (w) => writeBitmap(w, bitmapOf(EXCLCREAT))],
]);

const READABLE = new Set<number>([...ENCODERS.keys()]);
export const SUPPORTED: number[] = bitmapOf([...READABLE, A.TIME_ACCESS_SET, A.TIME_MODIFY_SET]);

export function needsStatfs(request: readonly number[]): boolean {
  return bitsOf(request).some((b) => STATFS_BITS.has(b));
}

/** What answering one request bitmap takes: the bits we return, as a bitmap, and their encoders in order. */
interface Plan {
  bitmap: number[];
  encoders: Encoder[];
}

/**
 * Plans by request bitmap (and whether statfs figures are at hand): a client asks with the same few bitmaps over and
 * over, and a READDIR asks once per entry. Bounded: cleared when full.
 */
const plans = new Map<string, Plan>();
const MAX_PLANS = 256;

function planFor(request: readonly number[], withStatfs: boolean): Plan {
  const key = `${withStatfs ? 's' : ''}${request.join(',')}`;
  let plan = plans.get(key);
  if (!plan) {
    const bits = bitsOf(request).filter((b) => READABLE.has(b) && (withStatfs || !STATFS_BITS.has(b)));
    plan = { bitmap: bitmapOf(bits), encoders: bits.map((b) => ENCODERS.get(b) as Encoder) };
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

/** fattr4 for the requested bits that we can answer (write-only *_SET bits are never returned). */
export function writeFattr(w: XdrWriter, request: readonly number[], src: AttrSource): void {
  const plan = planFor(request, src.statfs !== undefined);
  writeBitmap(w, plan.bitmap);
  // attrlist4 is an opaque: its length is patched in once the values are written in place.
  const at = w.reserveU32();
  for (const encode of plan.encoders) encode(w, src);
  w.patchU32(at, w.length - at - 4);
}

/** Only rdattr_error, for a READDIR entry whose attributes could not be read. */
export function writeRdattrError(w: XdrWriter, status: number): void {
  writeBitmap(w, bitmapOf([A.RDATTR_ERROR]));
  const vals = new XdrWriter(8);
  vals.u32(status);
  w.opaque(vals.finish());
}

export interface Fattr {
  bitmap: number[];
  vals: Buffer;
}

export function readFattr(r: XdrReader): Fattr {
  return { bitmap: readBitmap(r), vals: r.opaque() };
}

/** A client-supplied fattr4 (SETATTR, CREATE, OPEN createattrs) as an engine SetAttr plus the bits applied. */
export function parseSetAttr(f: Fattr, allowed: readonly number[] = SETTABLE): { set: SetAttr; bits: number[] } {
  const bits = bitsOf(f.bitmap);
  for (const b of bits) {
    if (!READABLE.has(b) && b !== A.TIME_ACCESS_SET && b !== A.TIME_MODIFY_SET) fail(Status.ATTRNOTSUPP);
    if (!allowed.includes(b)) fail(Status.INVAL, `attribute ${b} is not settable here`);
  }
  const r = new XdrReader(f.vals);
  const set: SetAttr = {};
  for (const b of bits) {
    if (b === A.SIZE) set.size = r.u64n();
    else if (b === A.MODE) set.mode = r.u32() & 0o7777;
    else if (b === A.OWNER) set.uid = parseId(r.string(1024));
    else if (b === A.OWNER_GROUP) set.gid = parseId(r.string(1024));
    else if (b === A.TIME_ACCESS_SET) set.atime = readSetTime(r);
    else if (b === A.TIME_MODIFY_SET) set.mtime = readSetTime(r);
  }
  if (r.remaining !== 0) fail(Status.BADXDR, 'trailing bytes in fattr4');
  return { set, bits };
}

export const EXCLCREAT_ATTRS: readonly number[] = EXCLCREAT;

/** Owners travel as numeric strings ("1000" or "1000@domain"); names we cannot map are BADOWNER. */
export function parseId(s: string): number {
  const m = /^(\d{1,10})(@.*)?$/.exec(s);
  if (!m) fail(Status.BADOWNER, `owner ${JSON.stringify(s)}`);
  const id = Number(m[1]);
  if (id > 0xffffffff) fail(Status.BADOWNER);
  return id;
}

function readSetTime(r: XdrReader): Timespec | 'now' {
  const how = r.u32();
  if (how === 0) return 'now';
  if (how !== 1) fail(Status.INVAL, `settime4 how ${how}`);
  const sec = r.i64();
  const nsec = r.u32();
  if (nsec >= 1e9) fail(Status.INVAL);
  return { sec: Number(sec), nsec };
}

/** VERIFY/NVERIFY: whether the client's values equal ours, compared as XDR bytes like the RFC says. */
export function fattrMatches(f: Fattr, src: AttrSource): boolean {
  const bits = bitsOf(f.bitmap);
  for (const b of bits) {
    if (b === A.RDATTR_ERROR) fail(Status.INVAL);
    if (!READABLE.has(b)) fail(Status.ATTRNOTSUPP);
  }
  const mine = new XdrWriter(256);
  for (const b of bits) ENCODERS.get(b)!(mine, src);
  return mine.finish().equals(f.vals);
}
