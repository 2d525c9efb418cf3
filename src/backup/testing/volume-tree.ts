// Test and bench helpers: fill a volume with files, and describe a volume's whole tree (types, modes,
// sizes, content hashes, symlink targets) so two volumes can be compared byte for byte through the engine.
import { createHash } from 'node:crypto';
import { ROOT_CALLER, ROOT_INODE, type InodeNumber, type Volume, type VolumeReader } from '../../engine/index.ts';

export interface TreeEntry {
  type: string;
  mode: number;
  size: number;
  uid: number;
  gid: number;
  /** SHA-256 of a regular file's bytes, or a symlink's target. */
  content: string;
}

const READ_BYTES = 1024 * 1024;

export async function describeTree(v: VolumeReader): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  await walk(v, ROOT_INODE, '', out);
  return out;
}

async function walk(v: VolumeReader, dir: InodeNumber, prefix: string, out: Map<string, TreeEntry>): Promise<void> {
  let cookie = 0;
  for (;;) {
    const page = await v.readdir(ROOT_CALLER, dir, cookie, 256);
    for (const e of page.entries) {
      const path = `${prefix}/${e.name}`;
      const a = await v.getattr(e.ino);
      const content = a.type === 'file' ? await fileHash(v, e.ino, a.size) : a.type === 'symlink' ? await v.readlink(e.ino) : '';
      out.set(path, { type: a.type, mode: a.mode, size: a.size, uid: a.uid, gid: a.gid, content });
      if (a.type === 'dir') await walk(v, e.ino, path, out);
      cookie = e.cookie;
    }
    if (page.eof || page.entries.length === 0) return;
  }
}

async function fileHash(v: VolumeReader, ino: InodeNumber, size: number): Promise<string> {
  const h = createHash('sha256');
  for (let off = 0; off < size; off += READ_BYTES) h.update((await v.read(ROOT_CALLER, ino, off, Math.min(READ_BYTES, size - off))).data);
  return h.digest('hex');
}

/** Deterministic pseudo-random bytes (xorshift), so a file's content depends only on its seed. */
export function fileBytes(seed: number, size: number): Buffer {
  const buf = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    buf.writeUInt32LE(x, i);
  }
  return buf;
}

/** Writes `count` files of `size` bytes into directories of 100 files each; returns their inodes. */
export async function fillVolume(v: Volume, count: number, size: number, seed = 1): Promise<InodeNumber[]> {
  const inodes: InodeNumber[] = [];
  let dir = ROOT_INODE;
  for (let i = 0; i < count; i++) {
    if (i % 100 === 0) dir = (await v.mkdir(ROOT_CALLER, ROOT_INODE, `d${i / 100}`, 0o755)).ino;
    const f = (await v.create(ROOT_CALLER, dir, `f${i}`, { mode: 0o644 })).attr;
    await v.write(ROOT_CALLER, f.ino, 0, fileBytes(seed + i, size), 'unstable');
    inodes.push(f.ino);
  }
  await v.commit();
  return inodes;
}

/** Rewrites the first `n` files with new content (the "1% change" of the backup tests and bench). */
export async function rewriteFiles(v: Volume, inodes: readonly InodeNumber[], n: number, size: number, seed: number): Promise<void> {
  for (let i = 0; i < n; i++) await v.write(ROOT_CALLER, inodes[i], 0, fileBytes(seed + i, size), 'unstable');
  await v.commit();
}
