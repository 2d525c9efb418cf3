// Checking a volume directory that no server has open, without changing anything in it.
import { join } from 'node:path';
import { LocalBlockStore } from './blocks/local-store.ts';
import { checkVolume } from './fsck.ts';
import { SqliteMetaStore } from './meta/sqlite-store.ts';
import type { FsckReport } from './types.ts';

export async function checkVolumeDir(dir: string, opts: { verifyData?: boolean } = {}): Promise<FsckReport & { id: string }> {
  const store = SqliteMetaStore.open(join(dir, 'meta.db'), { create: false, readOnly: true });
  try {
    const holds = (await store.reader.listSnapshots()).map((s) => s.seq);
    const report = await checkVolume({
      meta: store.reader, blocks: new LocalBlockStore(join(dir, 'blocks')), verifyData: opts.verifyData ?? false,
      retained: new Set(), holds,
    });
    return { id: (await store.reader.getConfig('id')) ?? 'unknown', ...report };
  } finally {
    await store.close();
  }
}
