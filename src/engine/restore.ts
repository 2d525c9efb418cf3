// A new volume from a backup's metadata: usable as soon as the metadata is in place (O(metadata)),
// with every block fetched from the backup on first read (lazy restore) or by hydrate().
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteMetaStore } from './meta/sqlite-store.ts';
import { FsError, type BlockSource, type Volume } from './types.ts';
import { openVolume, type VolumeOptions } from './volume.ts';

export interface RestoreOptions extends Omit<VolumeOptions, 'create' | 'source'> {
  /** A snapshot's metadata file, as SnapshotExport.metadataFile gave it (reassembled from a backup). */
  metadataFile: string;
  source: BlockSource;
}

export async function restoreVolume(opts: RestoreOptions): Promise<Volume> {
  const target = join(opts.dir, 'meta.db');
  if (existsSync(target)) throw new FsError('EEXIST', `a volume already exists in ${opts.dir}`);
  await mkdir(join(opts.dir, 'snapshots'), { recursive: true });
  const partial = `${target}.restoring`;
  await rm(partial, { force: true });
  await copyFile(opts.metadataFile, partial);
  SqliteMetaStore.adoptCopy(partial, opts.id);
  await rename(partial, target);
  return openVolume({ ...opts, create: false });
}
