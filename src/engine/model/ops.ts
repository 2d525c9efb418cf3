// The operations of the randomized model test, as plain data: a failing op prints as JSON and can be replayed.
import type { InodeNumber, Stability } from '../types.ts';
import type { Who } from './callers.ts';

export type Op =
  | { op: 'create'; dir: InodeNumber; name: string; exclusive: boolean; mode: number }
  | { op: 'write'; ino: InodeNumber; offset: number; length: number; seed: number; stability: Stability }
  /** Writes to disjoint ranges issued at once (with a racing commit): they commute, so the model applies them in order. */
  | { op: 'parallelWrites'; writes: Array<{ ino: InodeNumber; offset: number; length: number; seed: number; stability: Stability }>; commit: boolean }
  /** Many small FILE_SYNC writes into one 4 MiB block: one extent each, so the engine must compact. */
  | { op: 'burst'; ino: InodeNumber; writes: Array<{ offset: number; length: number; seed: number }> }
  | { op: 'read'; ino: InodeNumber; offset: number; length: number }
  | { op: 'truncate'; ino: InodeNumber; size: number }
  | { op: 'punch'; ino: InodeNumber; offset: number; length: number }
  | { op: 'xattr'; ino: InodeNumber; action: 'set' | 'get' | 'remove' | 'list'; name: string; mode: 'create' | 'replace' | 'either'; seed: number }
  | { op: 'rename'; fromDir: InodeNumber; fromName: string; toDir: InodeNumber; toName: string }
  | { op: 'link'; ino: InodeNumber; dir: InodeNumber; name: string }
  | { op: 'unlink'; dir: InodeNumber; name: string }
  | { op: 'mkdir'; dir: InodeNumber; name: string; mode: number }
  | { op: 'rmdir'; dir: InodeNumber; name: string }
  | { op: 'chmod'; ino: InodeNumber; mode: number }
  | { op: 'symlink'; dir: InodeNumber; name: string; target: string }
  | { op: 'stat'; dir: InodeNumber; name: string }
  | { op: 'readdir'; dir: InodeNumber }
  | { op: 'access'; ino: InodeNumber; who: Who; mask: number }
  /** lookup and read as a non-root caller: search permission on the directory, read permission on the file. */
  | { op: 'userLookup'; dir: InodeNumber; name: string; who: Who }
  | { op: 'userRead'; ino: InodeNumber; who: Who }
  | { op: 'userWrite'; ino: InodeNumber; who: Who; offset: number; length: number; seed: number }
  /** unlink as a non-root caller: write+search on the directory, and the sticky bit protects root's files. */
  | { op: 'userUnlink'; dir: InodeNumber; name: string; who: Who }
  /** chmod by someone who is neither the owner (root) nor root: EPERM whatever the mode. */
  | { op: 'userChmod'; ino: InodeNumber; who: Who; mode: number }
  | { op: 'retain'; ino: InodeNumber }
  | { op: 'release'; ino: InodeNumber }
  | { op: 'snapshot' }
  | { op: 'readSnapshot'; id: string }
  | { op: 'deleteSnapshot'; id: string }
  | { op: 'commit'; ino?: InodeNumber }
  | { op: 'reopen' }
  | { op: 'checkTree' }
  | { op: 'badName'; dir: InodeNumber; name: string }
  | { op: 'misuse'; ino: InodeNumber; what: 'writeDir' | 'readDir' | 'readlinkFile' | 'linkDir' };

export type OpKind = Op['op'];

export function describeOp(op: Op): string {
  return JSON.stringify(op, (_k, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v));
}
