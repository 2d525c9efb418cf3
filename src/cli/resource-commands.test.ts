// The operator CLI against a running server: tables, JSON output, clear errors and exit status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliAgainstServer } from './testing/cli-against-server.ts';

const { server, fathom } = cliAgainstServer();

test('fs create prints a table; fs list --output json has the API shapes; errors exit 1 with the code', async () => {
  const created = await fathom('fs', 'create', '--name', 'ops');
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^ID\s+TYPE\s+STATE\s+NAME/);
  assert.match(created.stdout, /fs-[0-9a-f]{17}\s+EFS\s+creating\s+ops/);
  await server().service.idle();

  const listed = await fathom('fs', 'list', '--output', 'json');
  assert.equal(listed.code, 0, listed.stderr);
  const json = JSON.parse(listed.stdout) as { efs: Array<{ Name: string; LifeCycleState: string }>; fsx: unknown[] };
  assert.deepEqual(json.efs.map((f) => [f.Name, f.LifeCycleState]), [['ops', 'available']]);

  const missing = await fathom('mt', 'create', 'fs-0123456789abcdef0');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: FileSystemNotFound: /);
});
