// Checkpoints run on a worker thread while writers go on; the log must still restart from its beginning instead of
// growing until SQLite's own (event-loop-blocking) backstop checkpoint at 40 MiB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openVolume, ROOT_CALLER, ROOT_INODE } from '../index.ts';

test('under a sustained stream of transactions the WAL stays small (it restarts after each checkpoint)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-wal-'));
  const volume = await openVolume({ dir, id: 'fs-000000000000000aa', create: true });
  try {
    let largest = 0;
    for (let i = 0; i < 6000; i++) {
      // Each request of a server arrives as an event (the thread's replies are events too).
      await new Promise((resolve) => setImmediate(resolve));
      await volume.create(ROOT_CALLER, ROOT_INODE, `f${i}`, { mode: 0o644 });
      if (i % 100 === 0) largest = Math.max(largest, fs.statSync(path.join(dir, 'meta.db-wal')).size);
    }
    assert.ok(largest < 20 * 1024 * 1024, `the WAL reached ${largest} bytes`);
    assert.equal((await volume.readdir(ROOT_CALLER, ROOT_INODE, 0, 10)).entries.length, 10);
  } finally {
    await volume.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the checkpoint thread never keeps a process alive (a volume left open does not block exit)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-exit-'));
  const script = path.join(dir, 'open-and-leave.mts');
  const engine = new URL('../index.ts', import.meta.url).href;
  fs.writeFileSync(script, `import { openVolume, ROOT_CALLER, ROOT_INODE } from ${JSON.stringify(engine)};
const v = await openVolume({ dir: ${JSON.stringify(path.join(dir, 'vol'))}, id: 'fs-000000000000000dd', create: true });
for (let i = 0; i < 10; i++) await v.create(ROOT_CALLER, ROOT_INODE, 'f' + i, { mode: 0o644 });
`);
  try {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { timeout: 15_000, encoding: 'utf8' });
    assert.equal(r.error, undefined, `the process did not exit by itself: ${String(r.error)}`);
    assert.equal(r.status, 0, r.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
