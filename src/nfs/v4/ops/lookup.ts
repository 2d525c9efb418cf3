// LOOKUP and LOOKUPP (RFC 8881 §18.15, §18.16), including crossing from the pseudo file system into an
// export (where the export's mount rules apply) and back out of it.
import { Status } from '../constants.ts';
import { attrOf, callerOf, curNode, nodeFor, OK, type Compound, type OpHandler } from '../compound.ts';
import type { Export } from '../../exports.ts';
import { clientAllowed } from '../../identity.ts';
import { readComponent } from '../names.ts';
import { parentPath, pseudoChildren, type Node, type ObjectNode } from '../node.ts';
import { fail } from '../status.ts';

async function enterExport(c: Compound, exp: Export): Promise<ObjectNode> {
  if (exp.rules.mountRefused || !clientAllowed(exp.rules, c.lc.clientAddress)) fail(Status.ACCESS);
  const a = await exp.volume.getattr(exp.root);
  c.server.logger?.info({ client: c.lc.clientAddress, export: exp.path }, 'nfs4 mount');
  return { kind: 'object', exp, ino: exp.root, generation: a.generation };
}

export const lookup: OpHandler = async (c, r) => {
  const name = readComponent(r);
  const dir = curNode(c);
  if (dir.kind === 'pseudo') {
    const child = pseudoChildren(c.server.exports.list(c.lc), dir.path).get(name);
    if (!child) fail(Status.NOENT);
    c.cur = 'kind' in child && child.kind === 'pseudo' ? child : await enterExport(c, child as Export);
    return OK;
  }
  const da = await attrOf(dir);
  if (da.type === 'symlink') fail(Status.SYMLINK);
  if (da.type !== 'dir') fail(Status.NOTDIR);
  const a = await dir.exp.volume.lookup(callerOf(c, dir), dir.ino, name);
  c.cur = nodeFor(dir, a);
  return OK;
};

export const lookupp: OpHandler = async (c) => {
  const n: Node = curNode(c);
  if (n.kind === 'pseudo') {
    if (n.path === '/') fail(Status.NOENT);
    c.cur = { kind: 'pseudo', path: parentPath(n.path) };
    return OK;
  }
  const a = await attrOf(n);
  if (a.type !== 'dir') fail(Status.NOTDIR);
  if (n.ino === n.exp.root) {
    c.cur = { kind: 'pseudo', path: parentPath(n.exp.path) };
    return OK;
  }
  const parent = await n.exp.volume.parentOf(n.ino);
  c.cur = nodeFor(n, await n.exp.volume.getattr(parent));
  return OK;
};
