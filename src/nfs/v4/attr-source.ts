// Gathers what attribute encoding needs for a node: engine attributes (or synthetic ones for pseudo
// directories), the fsid, mounted_on_fileid, and statfs only when a space/files attribute was requested.
import type { Attr, StatFs } from '../../engine/index.ts';
import type { Export } from '../exports.ts';
import { needsStatfs, type AttrSource } from './attrs.ts';
import { attrOf, type ServerContext } from './compound.ts';
import { nodeToFh, pseudoId, type Node, type ObjectNode } from './node.ts';

/** The pseudo file system is its own fsid 0, like Linux knfsd's fsid=0 root. */
const PSEUDO_FSID = 0n;

export function pseudoFileid(path: string): number {
  return path === '/' ? 1 : pseudoId(path);
}

function pseudoAttr(path: string, bootTime: number): Attr {
  const t = { sec: Math.floor(bootTime / 1000), nsec: 0 };
  return {
    ino: pseudoFileid(path) as Attr['ino'], type: 'dir', mode: 0o555, nlink: 2, uid: 0, gid: 0, size: 4096,
    used: 4096, rdev: { major: 0, minor: 0 }, atime: t, mtime: t, ctime: t, btime: t, change: bootTime, generation: 0,
  };
}

function mountedOn(n: ObjectNode, attr: Attr): number {
  // An export's root sits on a pseudo directory entry: report that entry's fileid (what READDIR of '/' shows).
  return n.ino === n.exp.root ? pseudoFileid(n.exp.path) : attr.ino;
}

export async function attrSource(server: ServerContext, n: Node, request: readonly number[], known?: Attr): Promise<AttrSource> {
  const wantStatfs = needsStatfs(request);
  if (n.kind === 'pseudo') return sourceOf(server, n, undefined, wantStatfs ? NO_SPACE : undefined);
  const attr = known ?? (await attrOf(n));
  return sourceOf(server, n, attr, wantStatfs ? await n.exp.volume.statfs() : undefined);
}

/** The pseudo file system holds nothing. */
export const NO_SPACE: StatFs = { totalBytes: 0, freeBytes: 0, availBytes: 0, totalFiles: 0, freeFiles: 0, availFiles: 0 };

/**
 * attrSource from what is at hand, without waiting (READDIR builds one per entry): an object's attributes, and the
 * statfs figures if the request needs them (for a pseudo directory: no space).
 */
export function sourceOf(server: ServerContext, n: Node, attr: Attr | undefined, statfs: StatFs | undefined): AttrSource {
  const leaseSeconds = server.state.leaseSeconds;
  const fh = () => nodeToFh(server.handles, n);
  if (n.kind === 'pseudo') {
    const pseudo = pseudoAttr(n.path, server.bootTime);
    return { attr: pseudo, fh, fsid: PSEUDO_FSID, mountedOnFileid: pseudo.ino, leaseSeconds, statfs: statfs && NO_SPACE };
  }
  if (!attr) throw new Error('an object node needs its attributes');
  return { attr, fh, fsid: n.exp.fsid, mountedOnFileid: mountedOn(n, attr), leaseSeconds, statfs };
}

export function exportRootNode(exp: Export, attr: Attr): ObjectNode {
  return { kind: 'object', exp, ino: exp.root, generation: attr.generation };
}
