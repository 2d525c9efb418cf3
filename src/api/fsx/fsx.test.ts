// The FSx API (JSON 1.1) driven by the SDK v3 and the aws CLI: WINDOWS and LUSTRE lifecycles, defaults,
// validation, idempotency, pagination, tags, and errors as {"__type","Message"}.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fsx from '@aws-sdk/client-fsx';
import { aws, AWS_CLIS } from '../testing/aws-cli.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let s: TestServer;
let c: fsx.FSxClient;
before(async () => {
  s = await startTestServer();
  c = new fsx.FSxClient({ endpoint: s.url, region: 'local-1', credentials: s.credentials, maxAttempts: 1 });
});
after(async () => {
  c.destroy();
  await s.close();
});

async function errorName(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'no error', (e: Error) => e.name);
}

const windows = (token: string): fsx.CreateFileSystemCommandInput => ({ ClientRequestToken: token, FileSystemType: 'WINDOWS',
  StorageCapacity: 32, SubnetIds: ['subnet-local-1a'], WindowsConfiguration: { ThroughputCapacity: 8 }, Tags: [{ Key: 'Name', Value: 'win' }] });

test('WINDOWS: CREATING → AVAILABLE with the reference\'s defaults; ClientRequestToken idempotency', async () => {
  const created = (await c.send(new fsx.CreateFileSystemCommand(windows('w1')))).FileSystem;
  assert.equal(created?.Lifecycle, 'CREATING');
  assert.match(created?.FileSystemId ?? '', /^fs-[0-9a-f]{17}$/);
  assert.equal(created?.WindowsConfiguration?.AutomaticBackupRetentionDays, 7);
  assert.equal(created?.WindowsConfiguration?.DeploymentType, 'SINGLE_AZ_1');
  assert.equal(created?.ResourceARN, `arn:fathom:fsx:local-1:${s.service.accountId}:file-system/${created?.FileSystemId}`);
  const again = (await c.send(new fsx.CreateFileSystemCommand(windows('w1')))).FileSystem;
  assert.equal(again?.FileSystemId, created?.FileSystemId);
  assert.equal(await errorName(c.send(new fsx.CreateFileSystemCommand({ ...windows('w1'), StorageCapacity: 64 }))), 'IncompatibleParameterError');
  await s.service.idle();
  const d = await c.send(new fsx.DescribeFileSystemsCommand({ FileSystemIds: [created?.FileSystemId as string] }));
  assert.equal(d.FileSystems?.[0].Lifecycle, 'AVAILABLE');
  assert.equal(d.FileSystems?.[0].DNSName, '127.0.0.1');

  const u = await c.send(new fsx.UpdateFileSystemCommand({ FileSystemId: created?.FileSystemId, StorageCapacity: 64,
    WindowsConfiguration: { AutomaticBackupRetentionDays: 30, DailyAutomaticBackupStartTime: '02:00' } }));
  assert.equal(u.FileSystem?.StorageCapacity, 64);
  assert.equal(u.FileSystem?.WindowsConfiguration?.AutomaticBackupRetentionDays, 30);
  assert.equal(await errorName(c.send(new fsx.UpdateFileSystemCommand({ FileSystemId: created?.FileSystemId,
    WindowsConfiguration: { AutomaticBackupRetentionDays: 91 } }))), 'BadRequest');

  const del = await c.send(new fsx.DeleteFileSystemCommand({ FileSystemId: created?.FileSystemId }));
  assert.equal(del.Lifecycle, 'DELETING');
  await s.service.idle();
  assert.equal(await errorName(c.send(new fsx.DescribeFileSystemsCommand({ FileSystemIds: [created?.FileSystemId as string] }))), 'FileSystemNotFound');
});

test('LUSTRE and validation per the model and the reference', async () => {
  const lustre = (await c.send(new fsx.CreateFileSystemCommand({ FileSystemType: 'LUSTRE', StorageCapacity: 1200, SubnetIds: ['subnet-local-1a'],
    LustreConfiguration: { DeploymentType: 'PERSISTENT_2', PerUnitStorageThroughput: 125 } }))).FileSystem;
  assert.equal(lustre?.LustreConfiguration?.DeploymentType, 'PERSISTENT_2');
  assert.match(lustre?.LustreConfiguration?.MountName ?? '', /^[0-9a-f]{8}$/);
  assert.equal(await errorName(c.send(new fsx.CreateFileSystemCommand({ FileSystemType: 'LUSTRE', StorageCapacity: 1000,
    SubnetIds: ['subnet-local-1a'] }))), 'BadRequest');
  assert.equal(await errorName(c.send(new fsx.CreateFileSystemCommand({ FileSystemType: 'WINDOWS', StorageCapacity: 32,
    SubnetIds: ['subnet-local-1a'] }))), 'MissingFileSystemConfiguration');
  assert.equal(await errorName(c.send(new fsx.CreateFileSystemCommand({ ...windows('w2'), SubnetIds: ['subnet-local-9z'] }))), 'InvalidNetworkSettings');
  assert.equal(await errorName(c.send(new fsx.CreateFileSystemCommand({ ...windows('w3'),
    WindowsConfiguration: { ThroughputCapacity: 8, AutomaticBackupRetentionDays: 91 } }))), 'BadRequest');
  assert.equal(await errorName(c.send(new fsx.DescribeFileSystemsCommand({ FileSystemIds: ['fs-0123456789abcdef0'] }))), 'FileSystemNotFound');
  const scratch = (await c.send(new fsx.CreateFileSystemCommand({ FileSystemType: 'LUSTRE', StorageCapacity: 1200, SubnetIds: ['subnet-local-1a'],
    LustreConfiguration: { DeploymentType: 'SCRATCH_2' } }))).FileSystem;
  await s.service.idle();
  // Scratch file systems cannot be backed up; persistent ones can.
  assert.equal(await errorName(c.send(new fsx.CreateBackupCommand({ FileSystemId: scratch?.FileSystemId }))), 'BadRequest');
  const backup = (await c.send(new fsx.CreateBackupCommand({ FileSystemId: lustre?.FileSystemId }))).Backup;
  assert.equal(backup?.FileSystem?.LustreConfiguration?.DeploymentType, 'PERSISTENT_2');
  await s.service.backups.backups.waitFor('local-1', backup?.BackupId as string);
});

test('pagination and tags', async () => {
  for (let i = 0; i < 3; i++) await c.send(new fsx.CreateFileSystemCommand(windows(`page-${i}`)));
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const p = await c.send(new fsx.DescribeFileSystemsCommand({ MaxResults: 2, NextToken: token }));
    seen.push(...(p.FileSystems ?? []).map((f) => f.FileSystemId as string));
    token = p.NextToken;
  } while (token);
  assert.ok(seen.length >= 3);
  assert.equal(new Set(seen).size, seen.length);
  const arn = `arn:fathom:fsx:local-1:${s.service.accountId}:file-system/${seen[0]}`;
  await c.send(new fsx.TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'a', Value: '1' }] }));
  const tags = await c.send(new fsx.ListTagsForResourceCommand({ ResourceARN: arn }));
  assert.ok(tags.Tags?.some((t) => t.Key === 'a' && t.Value === '1'));
  await c.send(new fsx.UntagResourceCommand({ ResourceARN: arn, TagKeys: ['a'] }));
  assert.ok(!(await c.send(new fsx.ListTagsForResourceCommand({ ResourceARN: arn }))).Tags?.some((t) => t.Key === 'a'));
  assert.equal(await errorName(c.send(new fsx.ListTagsForResourceCommand({ ResourceARN: `arn:fathom:fsx:local-1:${s.service.accountId}:file-system/fs-0123456789abcdef0` }))), 'ResourceNotFound');
  // The model's ResourceARN pattern only admits fsx ARNs, so another service's ARN fails validation.
  assert.equal(await errorName(c.send(new fsx.ListTagsForResourceCommand({ ResourceARN: `arn:fathom:elasticfilesystem:local-1:${s.service.accountId}:file-system/fs-0123456789abcdef0` }))), 'BadRequest');
  await s.service.idle();
});

test('wire shape of errors: {"__type","Message"} in application/x-amz-json-1.1', async () => {
  const r = await aws(AWS_CLIS[0].bin, s, ['fsx', 'describe-file-systems', '--file-system-ids', 'fs-0123456789abcdef0']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /FileSystemNotFound/);
});

for (const cli of AWS_CLIS) {
  test(`${cli.name}: create and describe a LUSTRE file system`, async () => {
    const r = await aws(cli.bin, s, ['fsx', 'create-file-system', '--file-system-type', 'LUSTRE', '--storage-capacity', '1200',
      '--subnet-ids', 'subnet-local-1a', '--lustre-configuration', 'DeploymentType=SCRATCH_2']);
    assert.equal(r.code, 0, r.stderr);
    const fs = r.json<{ FileSystem: { FileSystemId: string; Lifecycle: string; StorageCapacity: number } }>().FileSystem;
    assert.equal(fs.Lifecycle, 'CREATING');
    assert.equal(fs.StorageCapacity, 1200);
    await s.service.idle();
  });
}
