// READDIR (RFC 8881 §18.23): engine cookies pass through unchanged (they are never 0, 1 or 2); the reply is
// filled up to maxcount, and TOOSMALL when not even one entry fits.
import type { Attr, StatFs } from '../../../engine/index.ts';
import { NO_SPACE, sourceOf } from '../attr-source.ts';
import { A, needsStatfs, writeFattr, writeRdattrError } from '../attrs.ts';
import { hasBit, readBitmap } from '../bitmap.ts';
import { Status } from '../constants.ts';
import { attrOf, callerOf, curNode, nodeFor, ok, type Compound, type OpHandler } from '../compound.ts';
import type { Export } from '../../exports.ts';
import { pseudoChildren, type Node, type ObjectNode } from '../node.ts';
import { fail, statusOf } from '../status.ts';
import { XdrWriter } from '../../xdr/writer.ts';

/** Fixed part of READDIR4resok: verifier, the final value_follows=false and eof. */
const OVERHEAD = 8 + 4 + 4;
const BATCH = 256;

/** A directory entry with its attributes, or what kept them from being read. */
type Listed = { name: string; cookie: number } & ({ node: Node; attr?: Attr } | { error: unknown });

/** The reply's entries, encoded in place as they come until the client's maxcount is reached. */
class Page {
  readonly w = new XdrWriter(4096);
  count = 0;
  constructor(
    private readonly c: Compound,
    private readonly request: readonly number[],
    private readonly budget: number,
    private readonly statfs: StatFs | undefined,
  ) {}

  /** Adds the entry if it fits; false means the page is full. */
  add(e: Listed): boolean {
    const w = this.w;
    const mark = w.length;
    w.bool(true);
    w.u64(e.cookie);
    w.string(e.name);
    if ('error' in e) {
      const { status, unexpected } = statusOf(e.error);
      if (unexpected || !hasBit(this.request, A.RDATTR_ERROR)) throw e.error;
      writeRdattrError(w, status);
    } else {
      writeFattr(w, this.request, sourceOf(this.c.server, e.node, e.attr, this.statfs));
    }
    if (w.length + OVERHEAD <= this.budget) {
      this.count++;
      return true;
    }
    w.rewind(mark);
    return false;
  }
}

async function pseudoEntries(c: Compound, path: string, after: number): Promise<Listed[]> {
  const children = [...pseudoChildren(c.server.exports.list(c.lc), path).entries()];
  const listed: Listed[] = [];
  for (const [i, [name, child]] of children.entries()) {
    const cookie = i + 3;
    if (cookie <= after) continue;
    if ('kind' in child && child.kind === 'pseudo') {
      listed.push({ name, cookie, node: child });
      continue;
    }
    const exp = child as Export;
    try {
      const attr = await exp.volume.getattr(exp.root);
      listed.push({ name, cookie, node: { kind: 'object', exp, ino: exp.root, generation: attr.generation }, attr });
    } catch (error) {
      listed.push({ name, cookie, error });
    }
  }
  return listed;
}

/** Fills the page from the directory a batch at a time; whether the directory's end was reached. */
async function fillFromObject(c: Compound, dir: ObjectNode, after: number, page: Page): Promise<boolean> {
  const v = dir.exp.volume;
  const caller = callerOf(c, dir);
  let cookie = after;
  for (;;) {
    const res = await v.readdir(caller, dir.ino, cookie, BATCH, { attrs: true });
    for (const e of res.entries) {
      let listed: Listed;
      try {
        const attr = e.attr ?? (await v.getattr(e.ino));
        listed = { name: e.name, cookie: e.cookie, node: nodeFor(dir, attr), attr };
      } catch (error) {
        listed = { name: e.name, cookie: e.cookie, error };
      }
      if (!page.add(listed)) return false;
      cookie = e.cookie;
    }
    if (res.eof || res.entries.length === 0) return true;
  }
}

export const readdir: OpHandler = async (c, r) => {
  const cookie = r.u64n();
  r.fixedOpaque(8); // cookieverf: our cookies stay valid, so any verifier is accepted
  r.u32(); // dircount: a hint
  const maxcount = r.u32();
  const request = readBitmap(r);
  if (cookie === 1 || cookie === 2) fail(Status.BAD_COOKIE);
  const dir = curNode(c);
  if (dir.kind === 'object' && (await attrOf(dir)).type !== 'dir') fail(Status.NOTDIR);
  // Space figures are the file system's, the same for every entry: read once.
  const statfs = !needsStatfs(request) ? undefined : dir.kind === 'object' ? await dir.exp.volume.statfs() : NO_SPACE;
  const page = new Page(c, request, maxcount, statfs);
  let eof = true;
  if (dir.kind === 'pseudo') {
    for (const e of await pseudoEntries(c, dir.path, cookie)) {
      if (!page.add(e)) {
        eof = false;
        break;
      }
    }
  } else {
    eof = await fillFromObject(c, dir, cookie, page);
  }
  if (!eof && page.count === 0) fail(Status.TOOSMALL);
  const body = page.w.finish();
  return ok((w) => {
    w.fixedOpaque(Buffer.alloc(8));
    w.fixedOpaque(body);
    w.bool(false);
    w.bool(eof);
  });
};
