// READDIR and READDIRPLUS (RFC 1813 3.3.16, 3.3.17). '.' and '..' are synthesized with cookies 1 and 2
// (engine cookies are never 0, 1 or 2); the rest page through the engine's cookies. Engine cookies are
// stable, so the cookie verifier is constant and not checked.
import type { Attr, DirEntry, InodeNumber } from '../../engine/index.ts';
import { Nfs3Status, NFS3_COOKIEVERFSIZE } from './constants.ts';
import { writePostOpAttr } from './attrs.ts';
import { OBJECT_HANDLE_LENGTH } from '../filehandle.ts';
import { attrsAfter, handleFor, NO_FSID, type Target, type V3Procedure, type V3Request } from './request.ts';
import { Nfs3Error } from './status.ts';
import type { XdrWriter } from '../xdr/writer.ts';

const COOKIE_VERF = Buffer.alloc(NFS3_COOKIEVERFSIZE);
const DOT_COOKIE = 1;
const DOTDOT_COOKIE = 2;
/** Reply bytes besides entries: status, post_op_attr, verifier, list end, eof. */
const REPLY_OVERHEAD = 4 + 88 + 8 + 4 + 4;
/** fattr3 + post_op_fh3 per READDIRPLUS entry. */
const PLUS_EXTRA = 4 + 84 + 4 + 4 + OBJECT_HANDLE_LENGTH;
const MAX_PAGE_ENTRIES = 1024;
/** The reply buffer is sized for the client's limit up front, up to this; beyond, it grows as it fills. */
const RESERVE_MAX = 64 * 1024;

interface Limits {
  /** Bytes of the whole reply (count / maxcount). */
  maxBytes: number;
  /** READDIRPLUS dircount: bytes of fileid + name + cookie, when given. */
  dirBytes?: number;
}

interface Listed {
  entry: Pick<DirEntry, 'name' | 'ino' | 'cookie'>;
  attr?: Attr;
}

export const readdir: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  const cookie = req.args.u64n();
  req.args.fixedOpaque(NFS3_COOKIEVERFSIZE);
  const count = req.args.u32();
  await respond(req, out, fh, cookie, { maxBytes: count }, false);
};

export const readdirplus: V3Procedure = async (req, out) => {
  const fh = req.readHandle();
  const cookie = req.args.u64n();
  req.args.fixedOpaque(NFS3_COOKIEVERFSIZE);
  const dirBytes = req.args.u32();
  const maxBytes = req.args.u32();
  await respond(req, out, fh, cookie, { maxBytes, dirBytes }, true);
};

async function respond(req: V3Request, out: XdrWriter, fh: Buffer, cookie: number, limits: Limits, plus: boolean): Promise<void> {
  let dir: Target | undefined;
  try {
    dir = await req.resolve(fh);
    if (dir.attr.type !== 'dir') throw new Nfs3Error(Nfs3Status.NOTDIR);
    const page = await listPage(dir, cookie, limits, plus);
    out.reserve(Math.min(limits.maxBytes, RESERVE_MAX));
    out.u32(Nfs3Status.OK);
    writePostOpAttr(out, dir.attr, dir.exp.fsid);
    out.fixedOpaque(COOKIE_VERF);
    for (const item of page.items) writeEntry(req, out, dir, item, plus);
    out.bool(false);
    out.bool(page.eof);
  } catch (e) {
    req.fail(out, e);
    writePostOpAttr(out, await attrsAfter(dir), dir?.exp.fsid ?? NO_FSID);
  }
}

function entrySize(name: string, plus: boolean): number {
  return 4 + 8 + 4 + ((Buffer.byteLength(name) + 3) & ~3) + 8 + (plus ? PLUS_EXTRA : 0);
}

async function listPage(dir: Target, cookie: number, limits: Limits, plus: boolean): Promise<{ items: Listed[]; eof: boolean }> {
  let budget = limits.maxBytes - REPLY_OVERHEAD;
  let dirBudget = limits.dirBytes ?? Number.MAX_SAFE_INTEGER;
  const items: Listed[] = [];
  const fits = (name: string): boolean => {
    const size = entrySize(name, plus);
    const dirSize = 8 + ((Buffer.byteLength(name) + 3) & ~3) + 8;
    if (size > budget || (items.length > 0 && dirSize > dirBudget)) return false;
    budget -= size;
    dirBudget -= dirSize;
    return true;
  };
  const dots: Listed['entry'][] = [];
  if (cookie === 0) dots.push({ name: '.', ino: dir.ino, cookie: DOT_COOKIE });
  if (cookie <= DOT_COOKIE) dots.push({ name: '..', ino: await parentIno(dir), cookie: DOTDOT_COOKIE });
  for (const entry of dots) {
    if (!fits(entry.name)) return finish(items, false);
    items.push({ entry, attr: plus ? await attrsAfter(dir, entry.ino) : undefined });
  }
  const limit = Math.max(1, Math.min(MAX_PAGE_ENTRIES, Math.floor(budget / entrySize('xxxxxxxxxxxx', plus))));
  const result = await dir.vol.readdir(dir.caller, dir.ino, cookie <= DOTDOT_COOKIE ? 0 : cookie, limit, { attrs: plus });
  let eof = result.eof;
  for (const entry of result.entries) {
    if (!fits(entry.name)) {
      eof = false;
      break;
    }
    items.push({ entry, attr: entry.attr });
  }
  return finish(items, eof);
}

function finish(items: Listed[], eof: boolean): { items: Listed[]; eof: boolean } {
  if (items.length === 0 && !eof) throw new Nfs3Error(Nfs3Status.TOOSMALL);
  return { items, eof };
}

async function parentIno(dir: Target): Promise<InodeNumber> {
  return dir.ino === dir.exp.root ? dir.ino : dir.vol.parentOf(dir.ino);
}

function writeEntry(req: V3Request, out: XdrWriter, dir: Target, item: Listed, plus: boolean): void {
  out.bool(true);
  out.u64(item.attr?.ino ?? item.entry.ino);
  out.string(item.entry.name);
  out.u64(item.entry.cookie);
  if (!plus) return;
  writePostOpAttr(out, item.attr, dir.exp.fsid);
  out.bool(item.attr !== undefined);
  if (item.attr) out.opaque(handleFor(req.env.handles, dir.exp, item.attr));
}
