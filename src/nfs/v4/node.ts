// What a v4 file handle points at: a directory of the pseudo file system, or an object inside an export.
// Converts between nodes and wire file handles (src/nfs/filehandle.ts owns the byte layout).
import type { InodeNumber } from '../../engine/index.ts';
import type { Export, ExportLookupContext, ExportTable } from '../exports.ts';
import type { HandleCodec } from '../filehandle.ts';
import { clientAllowed } from '../identity.ts';
import { Status } from './constants.ts';
import { fail } from './status.ts';

export type PseudoNode = { kind: 'pseudo'; path: string };
export type ObjectNode = { kind: 'object'; exp: Export; ino: InodeNumber; generation: number };
export type Node = PseudoNode | ObjectNode;

export const PSEUDO_ROOT: PseudoNode = { kind: 'pseudo', path: '/' };

/** Stable 32-bit id of a pseudo directory path (root is 0): handles survive restarts without a table. */
export function pseudoId(path: string): number {
  if (path === '/') return 0;
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(path)) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  return h === 0 ? 1 : h;
}

export function nodeToFh(handles: HandleCodec, node: Node): Buffer {
  if (node.kind === 'pseudo') return handles.encode({ kind: 'pseudo', node: pseudoId(node.path) });
  return handles.encode({ kind: 'object', exportId: node.exp.id, ino: node.ino, generation: node.generation });
}

/** Paths of pseudo directories: '/', and every proper prefix of an export path. */
export function pseudoDirs(exports: readonly Export[]): string[] {
  const dirs = new Set<string>(['/']);
  for (const e of exports) {
    const parts = e.path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add('/' + parts.slice(0, i).join('/'));
  }
  return [...dirs];
}

/** Names directly under a pseudo directory, each either another pseudo dir or an export root. */
export function pseudoChildren(exports: readonly Export[], dir: string): Map<string, PseudoNode | Export> {
  const out = new Map<string, PseudoNode | Export>();
  const prefix = dir === '/' ? '/' : dir + '/';
  for (const e of exports) {
    if (!e.path.startsWith(prefix)) continue;
    const rest = e.path.slice(prefix.length).split('/').filter(Boolean);
    if (rest.length === 0) continue;
    if (rest.length === 1) out.set(rest[0], e);
    else if (!out.has(rest[0])) out.set(rest[0], { kind: 'pseudo', path: prefix + rest[0] });
  }
  return out;
}

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** PUTFH: decode and resolve, or BADHANDLE (not ours) / STALE (export gone) / ACCESS (client not allowed). */
export function fhToNode(fh: Buffer, handles: HandleCodec, table: ExportTable, lc: ExportLookupContext): Node {
  const decoded = handles.decode(fh);
  if (!decoded) fail(Status.BADHANDLE);
  if (decoded.kind === 'pseudo') {
    const path = pseudoDirs(table.list(lc)).find((p) => pseudoId(p) === decoded.node);
    if (!path) fail(Status.STALE);
    return { kind: 'pseudo', path };
  }
  const exp = table.byId(decoded.exportId, lc);
  if (!exp) fail(Status.STALE);
  if (!clientAllowed(exp.rules, lc.clientAddress)) fail(Status.ACCESS);
  return { kind: 'object', exp, ino: decoded.ino, generation: decoded.generation };
}

export function sameNode(a: Node, b: Node): boolean {
  if (a.kind === 'pseudo') return b.kind === 'pseudo' && a.path === b.path;
  return b.kind === 'object' && a.exp.id === b.exp.id && a.ino === b.ino;
}

/** Key of a file for share reservations and byte-range locks. */
export function fileKey(node: ObjectNode): string {
  return `${node.exp.id}:${node.ino}`;
}
