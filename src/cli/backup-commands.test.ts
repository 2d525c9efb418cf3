// `fathom backup create|restore --wait` against a running server, and `fathom backup list` (the data
// directory side) seeing what the API made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliAgainstServer } from './testing/cli-against-server.ts';

const { server, fathom } = cliAgainstServer();

test('backup create --wait ends AVAILABLE at 100%; backup restore --wait gives an AVAILABLE file system', async () => {
  const fs = server().service.fsx.create({ region: 'local-1' }, { fileSystemType: 'WINDOWS', storageCapacity: 32, subnetIds: ['subnet-local-1a'],
    windowsConfiguration: { ThroughputCapacity: 8 } });
  await server().service.idle();
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
  await server().service.idle();
});
