// `fathom backup create|restore --wait` against a running server, and `fathom backup list` (the data
// directory side) seeing what the API made.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../api/testing/test-server.ts';

const run = promisify(execFile);
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
let s: TestServer;

async function fathom(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', FATHOM_ROOT_ACCESS_KEY_ID: '', FATHOM_ROOT_SECRET_ACCESS_KEY: '' };
  try {
    const r = await run(process.execPath, ['--import', 'tsx', main, ...args, '--data-dir', s.dataDir, '--endpoint', s.url], { env, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.close();
});

test('backup create --wait ends AVAILABLE at 100%; backup restore --wait gives an AVAILABLE file system', async () => {
  const fs = s.service.fsx.create({ region: 'local-1' }, { fileSystemType: 'WINDOWS', storageCapacity: 32, subnetIds: ['subnet-local-1a'],
    windowsConfiguration: { ThroughputCapacity: 8 } });
  await s.service.idle();
  const created = await fathom('backup', 'create', fs.id, '--name', 'nightly', '--wait', '--output', 'json');
  assert.equal(created.code, 0, created.stderr);
  const b = JSON.parse(created.stdout) as { BackupId: string; Lifecycle: string; ProgressPercent: number };
  assert.deepEqual([b.Lifecycle, b.ProgressPercent], ['AVAILABLE', 100]);

  const restored = await fathom('backup', 'restore', b.BackupId, '--wait');
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, /fs-[0-9a-f]{17}\s+WINDOWS\s+AVAILABLE\s+32 GiB/);

  const missing = await fathom('backup', 'create', 'fs-0123456789abcdef0');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: FileSystemNotFound: /);
  await s.service.idle();
});
