// READDIR (RFC 8881 §18.23): engine cookies pass through unchanged (they are never 0, 1 or 2); the reply is
// filled up to maxcount, and TOOSMALL when not even one entry fits.
import type { Attr } from '../../../engine/index.ts';
import { attrSource } from '../attr-source.ts';
import { A, writeFattr, writeRdattrError } from '../attrs.ts';
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

interface Listed {
  name: string;
  cookie: number;
  node: () => Promise<{ node: Node; attr?: Attr }>;
}

class Page {
  readonly w = new XdrWriter(4096);
  count = 0;
  constructor(private readonly budget: number) {}

  /** Adds an encoded entry if it fits; false means the page is full. */
  add(entry: Buffer): boolean {
    if (this.w.length + entry.length + OVERHEAD > this.budget) return false;
    this.w.fixedOpaque(entry);
    this.count++;
    return true;
  }
}

async function encodeEntry(c: Compound, e: Listed, request: readonly number[]): Promise<Buffer> {
  const w = new XdrWriter(256);
  w.bool(true);
  w.u64(e.cookie);
  w.string(e.name);
  try {
    const { node, attr } = await e.node();
    writeFattr(w, request, await attrSource(c.server, node, request, attr));
  } catch (err) {
    const { status, unexpected } = statusOf(err);
    if (unexpected || !hasBit(request, A.RDATTR_ERROR)) throw err;
    writeRdattrError(w, status);
  }
  return Buffer.from(w.finish());
}

function pseudoEntries(c: Compound, path: string, after: number): Listed[] {
  const children = [...pseudoChildren(c.server.exports.list(c.lc), path).entries()];
  return children.map(([name, child], i) => ({
    name,
    cookie: i + 3,
    node: async () => {
      if ('kind' in child && child.kind === 'pseudo') return { node: child };
      const exp = child as Export;
      const attr = await exp.volume.getattr(exp.root);
      return { node: { kind: 'object', exp, ino: exp.root, generation: attr.generation } as ObjectNode, attr };
    },
  })).filter((e) => e.cookie > after);
}

async function* objectEntries(c: Compound, dir: ObjectNode, after: number): AsyncGenerator<Listed> {
  const v = dir.exp.volume;
  const caller = callerOf(c, dir);
  let cookie = after;
  for (;;) {
    const res = await v.readdir(caller, dir.ino, cookie, BATCH, { attrs: true });
    for (const e of res.entries) {
      yield { name: e.name, cookie: e.cookie, node: async () => {
        const attr = e.attr ?? (await v.getattr(e.ino));
        return { node: nodeFor(dir, attr), attr };
      } };
      cookie = e.cookie;
    }
    if (res.eof || res.entries.length === 0) return;
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
  const source = dir.kind === 'pseudo' ? pseudoEntries(c, dir.path, cookie) : objectEntries(c, dir, cookie);
  const page = new Page(maxcount);
  let eof = true;
  for await (const e of source) {
    if (!page.add(await encodeEntry(c, e, request))) {
      eof = false;
      break;
    }
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
