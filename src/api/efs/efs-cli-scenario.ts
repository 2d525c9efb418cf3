// The EFS scenario both aws CLI test files run (v2 and v1): create/describe/delete across resource families
// and error codes as the CLI prints them. Each CLI start costs seconds, so the broad coverage is in efs-sdk.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aws } from '../testing/aws-cli.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

export function efsCliScenario(cli: { name: string; bin: string }): void {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });
  describe(cli.name, () => {
    const efs = (...args: string[]) => aws(cli.bin, s, ['efs', ...args]);

    test('file system + mount target + access point; FileSystemInUse and BadRequest as printed', async () => {
      const created = await efs('create-file-system', '--creation-token', `cli-${cli.name}`, '--tags', 'Key=Name,Value=cli');
      assert.equal(created.code, 0, created.stderr);
      const fs = created.json<{ FileSystemId: string; LifeCycleState: string; Name: string }>();
      assert.equal(fs.LifeCycleState, 'creating');
      assert.equal(fs.Name, 'cli');
      await s.service.idle();

      const mt = await efs('create-mount-target', '--file-system-id', fs.FileSystemId, '--subnet-id', 'subnet-local-1a',
        '--security-groups', 'sg-0123456789abcdef0');
      assert.equal(mt.code, 0, mt.stderr);
      assert.equal(mt.json<{ IpAddress: string }>().IpAddress, '127.0.0.1');

      const ap = await efs('create-access-point', '--file-system-id', fs.FileSystemId, '--posix-user', 'Uid=1000,Gid=1000',
        '--root-directory', 'Path=/data,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=755}');
      assert.equal(ap.code, 0, ap.stderr);
      assert.deepEqual(ap.json<{ PosixUser: unknown }>().PosixUser, { Uid: 1000, Gid: 1000 });
      await s.service.idle();

      const inUse = await efs('delete-file-system', '--file-system-id', fs.FileSystemId);
      assert.notEqual(inUse.code, 0);
      assert.match(inUse.stderr, /FileSystemInUse/);

      const bad = await efs('describe-file-systems', '--file-system-id', 'fs-XYZ');
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /BadRequest/);
    });
  });
}
