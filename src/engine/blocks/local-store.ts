// Blocks as files under one directory, fanned out by the first two characters of the id.
import { mkdir, open, opendir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FsError } from '../types.ts';
import type { BlockStore } from './store.ts';

export class LocalBlockStore implements BlockStore {
  private readonly madeDirs = new Set<string>();

  constructor(private readonly root: string) {}

  private dirOf(id: string): string {
    return join(this.root, id.slice(0, 2));
  }

  async put(id: string, data: Buffer): Promise<void> {
    const dir = this.dirOf(id);
    const fresh = !this.madeDirs.has(dir);
    if (fresh) {
      await mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    // A temporary name and a rename: a block file is either complete or absent, also when two writers race.
    const tmp = join(dir, `${id}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, id));
    // The new name must survive power loss too; the parent of a new fan-out directory as well.
    await fsyncDir(dir);
    if (fresh) await fsyncDir(this.root);
  }

  async get(id: string): Promise<Buffer> {
    try {
      return await readFile(join(this.dirOf(id), id));
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      throw new FsError(missing ? 'ENOENT' : 'EIO', `block ${id} ${missing ? 'is not stored here' : 'cannot be read'}`, { cause: e });
    }
  }

  async delete(id: string): Promise<void> {
    await rm(join(this.dirOf(id), id), { force: true });
  }

  async *list(): AsyncIterable<{ id: string; mtimeMs: number }> {
    let top;
    try {
      top = await opendir(this.root);
    } catch {
      return;
    }
    for await (const fan of top) {
      if (!fan.isDirectory()) continue;
      for await (const f of await opendir(join(this.root, fan.name))) {
        if (!f.isFile()) continue;
        const s = await stat(join(this.root, fan.name, f.name));
        yield { id: f.name, mtimeMs: s.mtimeMs };
      }
    }
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
