// Blocks as files under one directory, fanned out by the first two characters of the id.
import { mkdir, open, opendir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FsError } from '../types.ts';
import { readAndHash, writeAndHash, type BlockCheck, type BlockSums } from './hash-pool.ts';
import type { BlockStore } from './store.ts';

export class LocalBlockStore implements BlockStore {
  private readonly madeDirs = new Set<string>();
  /** Fan-out directories created since the last sync: their parent must be synced too. */
  private readonly newDirs = new Set<string>();

  constructor(private readonly root: string) {}

  private dirOf(id: string): string {
    return join(this.root, id.slice(0, 2));
  }

  async put(id: string, parts: readonly Buffer[]): Promise<void> {
    await this.create(id, async (tmp) => {
      const fh = await open(tmp, 'wx');
      try {
        await writeAll(fh, parts);
      } finally {
        await fh.close();
      }
    });
  }

  /** put, written and checksummed by a block thread (with direct I/O where the file system allows it). */
  async putHashed(id: string, parts: readonly Buffer[]): Promise<BlockSums> {
    let sums: BlockSums | undefined;
    await this.create(id, async (tmp) => {
      sums = await writeAndHash(tmp, parts);
    });
    return sums as BlockSums;
  }

  /** Writes a block under a temporary name and renames it: a block file is either complete or absent, also when
   * two writers race. */
  private async create(id: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const dir = this.dirOf(id);
    if (!this.madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
      this.newDirs.add(dir);
    }
    const tmp = join(dir, `${id}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    await write(tmp);
    await rename(tmp, join(dir, id));
  }

  async sync(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await Promise.all(ids.map((id) => fsyncPath(join(this.dirOf(id), id), 'datasync')));
    // The new names must survive power loss too, and the fan-out directories made for them.
    const dirs = new Set(ids.map((id) => this.dirOf(id)));
    await Promise.all([...dirs].map((d) => fsyncPath(d, 'sync')));
    if ([...dirs].some((d) => this.newDirs.delete(d))) await fsyncPath(this.root, 'sync');
  }

  async get(id: string): Promise<Buffer> {
    try {
      return await readFile(join(this.dirOf(id), id));
    } catch (e) {
      throw readError(id, e);
    }
  }

  async getHashed(id: string, maxLen: number, check: BlockCheck): Promise<{ data: Buffer; digest: Buffer }> {
    try {
      return await readAndHash(join(this.dirOf(id), id), maxLen, check);
    } catch (e) {
      throw readError(id, e);
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
        // A file removed between the listing and the stat (a sweep, a temporary file renamed) is not there.
        const s = await stat(join(this.root, fan.name, f.name)).catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return undefined;
          throw e;
        });
        if (s) yield { id: f.name, mtimeMs: s.mtimeMs };
      }
    }
  }
}

function readError(id: string, e: unknown): FsError {
  const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
  return new FsError(missing ? 'ENOENT' : 'EIO', `block ${id} ${missing ? 'is not stored here' : 'cannot be read'}`, { cause: e });
}

async function fsyncPath(path: string, how: 'sync' | 'datasync'): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // deleted meanwhile: nothing to keep
    throw e;
  }
  try {
    await (how === 'sync' ? fh.sync() : fh.datasync());
  } finally {
    await fh.close();
  }
}

async function writeAll(fh: FileHandle, parts: readonly Buffer[]): Promise<void> {
  let pending = parts.filter((p) => p.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await fh.writev(pending);
    while (pending.length > 0 && bytesWritten >= pending[0].length) {
      bytesWritten -= pending[0].length;
      pending = pending.slice(1);
    }
    if (bytesWritten > 0) pending = [pending[0].subarray(bytesWritten), ...pending.slice(1)];
  }
}
