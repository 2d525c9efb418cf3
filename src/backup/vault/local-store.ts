// VaultStore over a local directory: one file per object, written to tmp/ then fsync'd and renamed into
// place (the directory fsync'd too), so a kill -9 leaves either the old object, the new one, or a temp file.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { isProcessAlive } from './process-alive.ts';
import { VaultObjectNotFound, type ByteRange, type VaultObject, type VaultStore } from './store.ts';

const TMP = 'tmp';

export class LocalVaultStore implements VaultStore {
  private constructor(private readonly root: string) {}

  /** Opens (creating) the directory and removes temp files left by processes that no longer run. */
  static async open(root: string): Promise<LocalVaultStore> {
    mkdirSync(join(root, TMP), { recursive: true });
    const store = new LocalVaultStore(root);
    await store.removeDeadTempFiles();
    return store;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const path = this.path(key);
    const tmp = join(this.root, TMP, `${process.pid}-${randomBytes(6).toString('hex')}`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await mkdir(dirname(path), { recursive: true });
    await rename(tmp, path);
    await syncDir(dirname(path));
  }

  async get(key: string, range?: ByteRange): Promise<Buffer> {
    let fh;
    try {
      fh = await open(this.path(key), 'r');
    } catch (e) {
      if (isNotFound(e)) throw new VaultObjectNotFound(key, { cause: e });
      throw e;
    }
    try {
      if (!range) return await fh.readFile();
      const buf = Buffer.alloc(range.length);
      const { bytesRead } = await fh.read(buf, 0, range.length, range.offset);
      return bytesRead === range.length ? buf : buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async list(prefix: string): Promise<VaultObject[]> {
    const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const out: VaultObject[] = [];
    await this.walk(join(this.root, dir), out);
    return out.filter((o) => o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.path(key));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  private async walk(dir: string, out: VaultObject[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      const key = relative(this.root, full).split(sep).join('/');
      if (key === TMP) continue;
      if (e.isDirectory()) await this.walk(full, out);
      else if (e.isFile()) {
        const size = await sizeUnlessGone(full);
        if (size !== undefined) out.push({ key, size });
      }
    }
  }

  private path(key: string): string {
    if (key === '' || key.startsWith('/') || key.split('/').some((p) => p === '' || p === '.' || p === '..' || p === TMP)) {
      throw new Error(`invalid vault key: ${JSON.stringify(key)}`);
    }
    return join(this.root, ...key.split('/'));
  }

  private async removeDeadTempFiles(): Promise<void> {
    for (const name of await readdir(join(this.root, TMP))) {
      const pid = Number(name.split('-')[0]);
      if (!isProcessAlive(pid)) await rm(join(this.root, TMP, name), { force: true });
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

/** A listed object removed before its size was read (a lock released meanwhile) is simply not there. */
async function sizeUnlessGone(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
