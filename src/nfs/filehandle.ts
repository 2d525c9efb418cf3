// NFS file handles: opaque to clients, stable across restarts (export id, inode, generation; no pointers).
// Layout: magic 0xFA, format version, kind, reserved 0, then the kind's fields. 12 or 20 bytes, well under the
// NFSv3 (64) and NFSv4 (128) limits.
import type { InodeNumber } from '../engine/index.ts';

export type FileHandle =
  | { kind: 'pseudo'; node: number }
  | { kind: 'object'; exportId: number; ino: InodeNumber; generation: number };

const MAGIC = 0xfa;
const FORMAT_VERSION = 1;
const KIND_PSEUDO = 1;
const KIND_OBJECT = 2;
const PSEUDO_LENGTH = 8;
const OBJECT_LENGTH = 20;

export function encodeFileHandle(fh: FileHandle): Buffer {
  const buf = Buffer.alloc(fh.kind === 'pseudo' ? PSEUDO_LENGTH : OBJECT_LENGTH);
  buf[0] = MAGIC;
  buf[1] = FORMAT_VERSION;
  if (fh.kind === 'pseudo') {
    buf[2] = KIND_PSEUDO;
    buf.writeUInt32BE(fh.node >>> 0, 4);
    return buf;
  }
  buf[2] = KIND_OBJECT;
  buf.writeUInt32BE(fh.exportId >>> 0, 4);
  buf.writeBigUInt64BE(BigInt(fh.ino), 8);
  buf.writeUInt32BE(fh.generation >>> 0, 16);
  return buf;
}

/** undefined for anything this server did not produce (the caller answers BADHANDLE / STALE). */
export function decodeFileHandle(buf: Buffer): FileHandle | undefined {
  if (buf.length < 4 || buf[0] !== MAGIC || buf[1] !== FORMAT_VERSION || buf[3] !== 0) return undefined;
  if (buf[2] === KIND_PSEUDO && buf.length === PSEUDO_LENGTH) {
    return { kind: 'pseudo', node: buf.readUInt32BE(4) };
  }
  if (buf[2] === KIND_OBJECT && buf.length === OBJECT_LENGTH) {
    const ino = buf.readBigUInt64BE(8);
    if (ino === 0n || ino > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    return { kind: 'object', exportId: buf.readUInt32BE(4), ino: Number(ino) as InodeNumber, generation: buf.readUInt32BE(16) };
  }
  return undefined;
}
