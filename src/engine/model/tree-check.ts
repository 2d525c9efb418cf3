// Compares everything reachable from the root of a VolumeReader (live volume or snapshot) with a model:
// names, types, modes, link counts, sizes, every byte of every file, symlink targets, and which names
// share an inode (hard links).
import assert from 'node:assert/strict';
import { ROOT_CALLER, ROOT_INODE, type Attr, type InodeNumber, type VolumeReader } from '../types.ts';
import type { FsModel } from './fs-model.ts';
import type { SparseData } from './sparse-data.ts';

const CHUNK = 1024 * 1024;

/** All names in a directory, following readdir cookies to the end. */
export async function listDir(reader: VolumeReader, dir: InodeNumber): Promise<Map<string, InodeNumber>> {
  const names = new Map<string, InodeNumber>();
  let cookie = 0;
  for (let page = 0; page < 10_000; page++) {
    const r = await reader.readdir(ROOT_CALLER, dir, cookie, 7);
    for (const e of r.entries) {
      assert.ok(!names.has(e.name), `readdir of ${dir} lists ${e.name} twice`);
      names.set(e.name, e.ino);
    }
    if (r.eof) return names;
    assert.ok(r.entries.length > 0, `readdir of ${dir} returned an empty page without eof`);
    cookie = r.entries[r.entries.length - 1].cookie;
  }
  throw new Error(`readdir of ${dir} never reached eof`);
}

/** Reads [offset, offset+length) fully, following short reads, stopping at eof. */
export async function readRange(reader: VolumeReader, ino: InodeNumber, offset: number, length: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let done = 0;
  while (done < length) {
    const r = await reader.read(ROOT_CALLER, ino, offset + done, length - done);
    parts.push(r.data);
    done += r.data.length;
    if (r.eof || r.data.length === 0) break;
  }
  return Buffer.concat(parts);
}

/** Every byte of a file against the model, in 1 MiB chunks; the message names the first differing offset. */
export async function checkFileData(reader: VolumeReader, ino: InodeNumber, data: SparseData, where: string): Promise<void> {
  for (let off = 0; off < data.size; off += CHUNK) {
    const want = data.read(off, CHUNK);
    const got = await readRange(reader, ino, off, want.length);
    if (!got.equals(want)) {
      const at = firstDifference(got, want);
      assert.fail(`${where}: content differs at byte ${off + at} (got ${got.length} bytes, want ${want.length}; ` +
        `got 0x${(got[at] ?? -1).toString(16)}, want 0x${(want[at] ?? -1).toString(16)})`);
    }
  }
  const past = await reader.read(ROOT_CALLER, ino, data.size, 4096);
  assert.equal(past.data.length, 0, `${where}: read past EOF (${data.size}) returned data`);
}

export function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

export function checkAttr(attr: Attr, model: FsModel, ino: InodeNumber, where: string): void {
  const n = model.node(ino);
  assert.equal(attr.type, n.kind, `${where}: type`);
  assert.equal(attr.mode & 0o7777, n.mode, `${where}: mode ${attr.mode.toString(8)} vs ${n.mode.toString(8)}`);
  assert.equal(attr.nlink, model.nlink(ino), `${where}: nlink`);
  if (n.kind === 'file') assert.equal(attr.size, n.data.size, `${where}: size`);
  if (n.kind === 'symlink') assert.equal(attr.size, Buffer.byteLength(n.target), `${where}: symlink size`);
}

async function checkXattrs(reader: VolumeReader, ino: InodeNumber, want: Map<string, Buffer>, where: string): Promise<void> {
  assert.deepEqual((await reader.listxattr(ROOT_CALLER, ino)).sort(), [...want.keys()].sort(), `${where}: xattr names`);
  for (const [name, value] of want) assert.deepEqual(await reader.getxattr(ROOT_CALLER, ino, name), value, `${where}: xattr ${name}`);
}

/** Walks the whole tree. Inode numbers must map one-to-one between model and reader (hard links agree). */
export async function checkTree(reader: VolumeReader, model: FsModel, label: string): Promise<void> {
  const modelToReal = new Map<InodeNumber, InodeNumber>();
  const realToModel = new Map<InodeNumber, InodeNumber>();
  const bind = (m: InodeNumber, r: InodeNumber, where: string): boolean => {
    const seen = modelToReal.get(m);
    assert.ok(seen === undefined || seen === r, `${where}: hard link lost (inode ${r}, expected ${seen})`);
    assert.ok((realToModel.get(r) ?? m) === m, `${where}: inode ${r} shared by names that are distinct files`);
    modelToReal.set(m, r);
    realToModel.set(r, m);
    return seen === undefined;
  };
  const walk = async (mDir: InodeNumber, rDir: InodeNumber, path: string): Promise<void> => {
    const want = model.dir(mDir).entries;
    const got = await listDir(reader, rDir);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `${label} ${path}/: names`);
    for (const [name, mIno] of want) {
      const where = `${label} ${path}/${name}`;
      const attr = await reader.lookup(ROOT_CALLER, rDir, name);
      assert.equal(attr.ino, got.get(name), `${where}: readdir and lookup disagree on the inode`);
      checkAttr(attr, model, mIno, where);
      if (!bind(mIno, attr.ino, where)) continue;
      const n = model.node(mIno);
      if (n.kind !== 'symlink') await checkXattrs(reader, attr.ino, n.xattrs, where);
      if (n.kind === 'dir') {
        assert.equal(await reader.parentOf(attr.ino), rDir, `${where}: parentOf`);
        await walk(mIno, attr.ino, `${path}/${name}`);
      } else if (n.kind === 'symlink') assert.equal(await reader.readlink(attr.ino), n.target, `${where}: readlink`);
      else await checkFileData(reader, attr.ino, n.data, where);
    }
  };
  checkAttr(await reader.getattr(ROOT_INODE), model, ROOT_INODE, `${label} /`);
  bind(ROOT_INODE, ROOT_INODE, `${label} /`);
  await walk(ROOT_INODE, ROOT_INODE, '');
}
