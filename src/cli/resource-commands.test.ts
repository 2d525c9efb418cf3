// The operator CLI against a running server: tables, JSON output, clear errors and exit status.
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

test('fs create prints a table; fs list --output json has the API shapes; errors exit 1 with the code', async () => {
  const created = await fathom('fs', 'create', '--name', 'ops');
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^ID\s+TYPE\s+STATE\s+NAME/);
  assert.match(created.stdout, /fs-[0-9a-f]{17}\s+EFS\s+creating\s+ops/);
  await s.service.idle();

  const listed = await fathom('fs', 'list', '--output', 'json');
  assert.equal(listed.code, 0, listed.stderr);
  const json = JSON.parse(listed.stdout) as { efs: Array<{ Name: string; LifeCycleState: string }>; fsx: unknown[] };
  assert.deepEqual(json.efs.map((f) => [f.Name, f.LifeCycleState]), [['ops', 'available']]);

  const missing = await fathom('mt', 'create', 'fs-0123456789abcdef0');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: FileSystemNotFound: /);
});
