// The EFS API driven by the AWS SDK for JavaScript v3: states, idempotency, pagination, conflicts,
// validation, settings, tags, signatures.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as efs from '@aws-sdk/client-efs';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let s: TestServer;
let c: efs.EFSClient;

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string; raw: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message, raw: e as Record<string, unknown> };
  }
  throw new Error('expected an error');
}

async function availableFs(token: string): Promise<string> {
  const fs = await c.send(new efs.CreateFileSystemCommand({ CreationToken: token }));
  await s.service.idle();
  return fs.FileSystemId as string;
}

before(async () => {
  s = await startTestServer({ limits: { accessPointsPerFileSystem: 2 } });
  c = new efs.EFSClient({ endpoint: s.url, region: 'local-1', credentials: s.credentials, maxAttempts: 1 });
});
after(async () => {
  c.destroy();
  await s.close();
});

describe('file systems', () => {
  test('creating → available, with size from the engine; CreationToken conflicts name the existing id', async () => {
    const created = await c.send(new efs.CreateFileSystemCommand({ CreationToken: 'tok-1', Tags: [{ Key: 'Name', Value: 'one' }] }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.LifeCycleState, 'creating');
    assert.match(created.FileSystemId ?? '', /^fs-[0-9a-f]{17}$/);
    assert.equal(created.Name, 'one');
    assert.equal(created.FileSystemArn, `arn:fathom:elasticfilesystem:local-1:${s.service.accountId}:file-system/${created.FileSystemId}`);
    await s.service.idle();
    const d = await c.send(new efs.DescribeFileSystemsCommand({ FileSystemId: created.FileSystemId }));
    assert.equal(d.FileSystems?.[0].LifeCycleState, 'available');
    assert.ok((d.FileSystems?.[0].SizeInBytes?.Value ?? 0) > 0, 'the root directory is metered');
    const again = await errorOf(c.send(new efs.CreateFileSystemCommand({ CreationToken: 'tok-1' })));
    assert.equal(again.name, 'FileSystemAlreadyExists');
    assert.equal(again.status, 409);
    assert.equal(again.raw.FileSystemId, created.FileSystemId);
    const byToken = await c.send(new efs.DescribeFileSystemsCommand({ CreationToken: 'tok-1' }));
    assert.equal(byToken.FileSystems?.length, 1);
  });

  test('pagination with MaxItems/Marker visits every file system once', async () => {
    for (let i = 0; i < 5; i++) await c.send(new efs.CreateFileSystemCommand({ CreationToken: `page-${i}` }));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const p = await c.send(new efs.DescribeFileSystemsCommand({ MaxItems: 2, Marker: marker }));
      assert.ok((p.FileSystems?.length ?? 0) <= 2);
      seen.push(...(p.FileSystems ?? []).map((f) => f.FileSystemId as string));
      marker = p.NextMarker;
      pages++;
    } while (marker);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.length >= 5 && pages >= 3);
    await s.service.idle();
  });

  test('update throughput; provisioned needs a rate', async () => {
    const id = await availableFs('upd');
    assert.equal((await errorOf(c.send(new efs.UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: 'provisioned' })))).name, 'BadRequest');
    const u = await c.send(new efs.UpdateFileSystemCommand({ FileSystemId: id, ThroughputMode: 'provisioned', ProvisionedThroughputInMibps: 64 }));
    assert.equal(u.$metadata.httpStatusCode, 202);
    assert.equal(u.ThroughputMode, 'provisioned');
    assert.equal(u.ProvisionedThroughputInMibps, 64);
    const p = await c.send(new efs.UpdateFileSystemProtectionCommand({ FileSystemId: id, ReplicationOverwriteProtection: 'DISABLED' }));
    assert.equal(p.ReplicationOverwriteProtection, 'DISABLED');
  });

  test('validation and not-found errors in the model\'s terms', async () => {
    const bad = await errorOf(c.send(new efs.DescribeFileSystemsCommand({ FileSystemId: 'not-an-id' })));
    assert.equal(bad.name, 'BadRequest');
    assert.equal(bad.status, 400);
    assert.match(bad.message, /regular expression pattern/);
    const enumBad = await errorOf(c.send(new efs.CreateFileSystemCommand({ CreationToken: 'x', PerformanceMode: 'fast' as efs.PerformanceMode })));
    assert.equal(enumBad.name, 'BadRequest');
    const missing = await errorOf(c.send(new efs.DescribeFileSystemsCommand({ FileSystemId: 'fs-0123456789abcdef0' })));
    assert.equal(missing.name, 'FileSystemNotFound');
    assert.equal(missing.status, 404);
  });

  test('delete: FileSystemInUse while a mount target exists, then deleting → gone', async () => {
    const id = await availableFs('del');
    const mt = await c.send(new efs.CreateMountTargetCommand({ FileSystemId: id, SubnetId: 'subnet-local-1a' }));
    assert.equal(mt.LifeCycleState, 'creating');
    assert.equal(mt.IpAddress, '127.0.0.1');
    assert.equal((await errorOf(c.send(new efs.DeleteFileSystemCommand({ FileSystemId: id })))).name, 'FileSystemInUse');
    await c.send(new efs.DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }));
    await s.service.idle();
    const del = await c.send(new efs.DeleteFileSystemCommand({ FileSystemId: id }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    const during = await c.send(new efs.DescribeFileSystemsCommand({ FileSystemId: id })).catch(() => undefined);
    if (during) assert.equal(during.FileSystems?.[0].LifeCycleState, 'deleting');
    await s.service.idle();
    assert.equal((await errorOf(c.send(new efs.DescribeFileSystemsCommand({ FileSystemId: id })))).name, 'FileSystemNotFound');
  });

  test('a file system still creating refuses mount targets', async () => {
    const fs = await c.send(new efs.CreateFileSystemCommand({ CreationToken: 'young' }));
    const e = await errorOf(c.send(new efs.CreateMountTargetCommand({ FileSystemId: fs.FileSystemId, SubnetId: 'subnet-local-1a' })));
    assert.equal(e.name, 'IncorrectFileSystemLifeCycleState');
    assert.equal(e.status, 409);
    await s.service.idle();
  });
});

describe('mount targets', () => {
  test('one per zone, subnets from config, security groups stored', async () => {
    const id = await availableFs('mt');
    assert.equal((await errorOf(c.send(new efs.CreateMountTargetCommand({ FileSystemId: id, SubnetId: 'subnet-0123456789abcdef0' })))).name, 'SubnetNotFound');
    const mt = await c.send(new efs.CreateMountTargetCommand({ FileSystemId: id, SubnetId: 'subnet-local-1a', SecurityGroups: ['sg-0123456789abcdef0'] }));
    assert.equal(mt.AvailabilityZoneName, 'local-1a');
    assert.equal((await errorOf(c.send(new efs.CreateMountTargetCommand({ FileSystemId: id, SubnetId: 'subnet-local-1a' })))).name, 'MountTargetConflict');
    await s.service.idle();
    const list = await c.send(new efs.DescribeMountTargetsCommand({ FileSystemId: id }));
    assert.deepEqual(list.MountTargets?.map((m) => [m.MountTargetId, m.LifeCycleState]), [[mt.MountTargetId, 'available']]);
    const sg = await c.send(new efs.DescribeMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId }));
    assert.deepEqual(sg.SecurityGroups, ['sg-0123456789abcdef0']);
    await c.send(new efs.ModifyMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId, SecurityGroups: ['sg-00000000000000001', 'sg-00000000000000002'] }));
    const sg2 = await c.send(new efs.DescribeMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId }));
    assert.deepEqual(sg2.SecurityGroups, ['sg-00000000000000001', 'sg-00000000000000002']);
    assert.equal((await errorOf(c.send(new efs.DescribeMountTargetsCommand({})))).name, 'BadRequest');
    assert.equal((await errorOf(c.send(new efs.DescribeMountTargetsCommand({ MountTargetId: 'fsmt-0123456789abcdef0' })))).name, 'MountTargetNotFound');
  });
});

describe('access points', () => {
  test('ClientToken idempotency, root directory created, limit, delete', async () => {
    const id = await availableFs('ap');
    const input = { ClientToken: 'ap-1', FileSystemId: id, PosixUser: { Uid: 1001, Gid: 1002, SecondaryGids: [5] },
      RootDirectory: { Path: '/apps/one', CreationInfo: { OwnerUid: 1001, OwnerGid: 1002, Permissions: '750' } }, Tags: [{ Key: 'Name', Value: 'one' }] };
    const a = await c.send(new efs.CreateAccessPointCommand(input));
    assert.match(a.AccessPointId ?? '', /^fsap-[0-9a-f]{17}$/);
    assert.equal(a.Name, 'one');
    const same = await c.send(new efs.CreateAccessPointCommand(input));
    assert.equal(same.AccessPointId, a.AccessPointId);
    const conflict = await errorOf(c.send(new efs.CreateAccessPointCommand({ ...input, PosixUser: { Uid: 1, Gid: 1 } })));
    assert.equal(conflict.name, 'AccessPointAlreadyExists');
    await s.service.idle();
    const d = await c.send(new efs.DescribeAccessPointsCommand({ AccessPointId: a.AccessPointId }));
    assert.equal(d.AccessPoints?.[0].LifeCycleState, 'available');
    assert.deepEqual(d.AccessPoints?.[0].PosixUser, { Uid: 1001, Gid: 1002, SecondaryGids: [5] });
    const volume = s.service.ctx.volumes.get(id);
    assert.ok(volume);
    const { ROOT_CALLER, ROOT_INODE } = await import('../../engine/index.ts');
    const apps = await volume.lookup(ROOT_CALLER, ROOT_INODE, 'apps');
    const one = await volume.lookup(ROOT_CALLER, apps.ino, 'one');
    assert.deepEqual([one.uid, one.gid, one.mode & 0o777], [1001, 1002, 0o750]);
    await c.send(new efs.CreateAccessPointCommand({ ClientToken: 'ap-2', FileSystemId: id }));
    assert.equal((await errorOf(c.send(new efs.CreateAccessPointCommand({ ClientToken: 'ap-3', FileSystemId: id })))).name, 'AccessPointLimitExceeded');
    const page = await c.send(new efs.DescribeAccessPointsCommand({ FileSystemId: id, MaxResults: 1 }));
    assert.equal(page.AccessPoints?.length, 1);
    assert.ok(page.NextToken);
    const rest = await c.send(new efs.DescribeAccessPointsCommand({ FileSystemId: id, MaxResults: 1, NextToken: page.NextToken }));
    assert.notEqual(rest.AccessPoints?.[0].AccessPointId, page.AccessPoints?.[0].AccessPointId);
    const mts = await c.send(new efs.DescribeMountTargetsCommand({ AccessPointId: a.AccessPointId }));
    assert.deepEqual(mts.MountTargets, []);
    await c.send(new efs.DeleteAccessPointCommand({ AccessPointId: a.AccessPointId }));
    await s.service.idle();
    assert.equal((await errorOf(c.send(new efs.DescribeAccessPointsCommand({ AccessPointId: a.AccessPointId })))).name, 'AccessPointNotFound');
  });
});

describe('settings and tags', () => {
  test('file system policy, lifecycle, backup policy', async () => {
    const id = await availableFs('settings');
    assert.equal((await errorOf(c.send(new efs.DescribeFileSystemPolicyCommand({ FileSystemId: id })))).name, 'PolicyNotFound');
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['elasticfilesystem:ClientMount'] }] });
    const put = await c.send(new efs.PutFileSystemPolicyCommand({ FileSystemId: id, Policy: policy }));
    assert.equal(put.Policy, policy);
    assert.equal((await c.send(new efs.DescribeFileSystemPolicyCommand({ FileSystemId: id }))).Policy, policy);
    assert.equal((await errorOf(c.send(new efs.PutFileSystemPolicyCommand({ FileSystemId: id, Policy: '{nope' })))).name, 'InvalidPolicyException');
    await c.send(new efs.DeleteFileSystemPolicyCommand({ FileSystemId: id }));
    assert.equal((await errorOf(c.send(new efs.DescribeFileSystemPolicyCommand({ FileSystemId: id })))).name, 'PolicyNotFound');

    assert.deepEqual((await c.send(new efs.DescribeLifecycleConfigurationCommand({ FileSystemId: id }))).LifecyclePolicies, []);
    const lc = await c.send(new efs.PutLifecycleConfigurationCommand({ FileSystemId: id,
      LifecyclePolicies: [{ TransitionToIA: 'AFTER_30_DAYS' }, { TransitionToPrimaryStorageClass: 'AFTER_1_ACCESS' }] }));
    assert.equal(lc.LifecyclePolicies?.length, 2);
    const badLc = await errorOf(c.send(new efs.PutLifecycleConfigurationCommand({ FileSystemId: id, LifecyclePolicies: [{ TransitionToIA: 'AFTER_2_DAYS' as efs.TransitionToIARules }] })));
    assert.equal(badLc.name, 'BadRequest');

    assert.equal((await c.send(new efs.DescribeBackupPolicyCommand({ FileSystemId: id }))).BackupPolicy?.Status, 'DISABLED');
    await c.send(new efs.PutBackupPolicyCommand({ FileSystemId: id, BackupPolicy: { Status: 'ENABLED' } }));
    assert.equal((await c.send(new efs.DescribeBackupPolicyCommand({ FileSystemId: id }))).BackupPolicy?.Status, 'ENABLED');
  });

  test('both tag APIs, on file systems and access points', async () => {
    const id = await availableFs('tags');
    await c.send(new efs.CreateTagsCommand({ FileSystemId: id, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await c.send(new efs.TagResourceCommand({ ResourceId: id, Tags: [{ Key: 'a', Value: '3' }, { Key: 'Name', Value: 'n' }] }));
    assert.deepEqual((await c.send(new efs.DescribeTagsCommand({ FileSystemId: id }))).Tags,
      [{ Key: 'a', Value: '3' }, { Key: 'b', Value: '2' }, { Key: 'Name', Value: 'n' }]);
    await c.send(new efs.DeleteTagsCommand({ FileSystemId: id, TagKeys: ['b'] }));
    await c.send(new efs.UntagResourceCommand({ ResourceId: id, TagKeys: ['a'] }));
    assert.deepEqual((await c.send(new efs.ListTagsForResourceCommand({ ResourceId: id }))).Tags, [{ Key: 'Name', Value: 'n' }]);
    assert.equal((await c.send(new efs.DescribeFileSystemsCommand({ FileSystemId: id }))).FileSystems?.[0].Name, 'n');
    const ap = await c.send(new efs.CreateAccessPointCommand({ ClientToken: 'tag-ap', FileSystemId: id }));
    await c.send(new efs.TagResourceCommand({ ResourceId: ap.AccessPointId, Tags: [{ Key: 'x', Value: 'y' }] }));
    assert.deepEqual((await c.send(new efs.ListTagsForResourceCommand({ ResourceId: ap.AccessPointId }))).Tags, [{ Key: 'x', Value: 'y' }]);
    assert.equal((await errorOf(c.send(new efs.ListTagsForResourceCommand({ ResourceId: 'fsap-0123456789abcdef0' })))).name, 'AccessPointNotFound');
    await s.service.idle();
  });

  test('account preferences; replication answers a clear error', async () => {
    assert.equal((await c.send(new efs.DescribeAccountPreferencesCommand({}))).ResourceIdPreference?.ResourceIdType, 'LONG_ID');
    await c.send(new efs.PutAccountPreferencesCommand({ ResourceIdType: 'SHORT_ID' }));
    assert.equal((await c.send(new efs.DescribeAccountPreferencesCommand({}))).ResourceIdPreference?.ResourceIdType, 'SHORT_ID');
    const id = await availableFs('repl');
    const e = await errorOf(c.send(new efs.CreateReplicationConfigurationCommand({ SourceFileSystemId: id, Destinations: [{ Region: 'local-2' }] })));
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /not supported/);
    assert.deepEqual((await c.send(new efs.DescribeReplicationConfigurationsCommand({}))).Replications, []);
    assert.equal((await errorOf(c.send(new efs.DeleteReplicationConfigurationCommand({ SourceFileSystemId: id })))).name, 'ReplicationNotFound');
  });
});

describe('regions and signatures', () => {
  test('resources belong to the region of the signature; unknown regions and wrong secrets are refused', async () => {
    const id = await availableFs('region-1');
    const c2 = new efs.EFSClient({ endpoint: s.url, region: 'local-2', credentials: s.credentials, maxAttempts: 1 });
    assert.equal((await errorOf(c2.send(new efs.DescribeFileSystemsCommand({ FileSystemId: id })))).name, 'FileSystemNotFound');
    c2.destroy();
    const c3 = new efs.EFSClient({ endpoint: s.url, region: 'mars-1', credentials: s.credentials, maxAttempts: 1 });
    const unknownRegion = await errorOf(c3.send(new efs.DescribeFileSystemsCommand({})));
    assert.equal(unknownRegion.status, 403);
    c3.destroy();
    const c4 = new efs.EFSClient({ endpoint: s.url, region: 'local-1', credentials: { ...s.credentials, secretAccessKey: 'wrong' }, maxAttempts: 1 });
    const wrong = await errorOf(c4.send(new efs.DescribeFileSystemsCommand({})));
    assert.equal(wrong.name, 'InvalidSignatureException');
    assert.equal(wrong.status, 403);
    c4.destroy();
    const unsigned = await fetch(`${s.url}/2015-02-01/file-systems`);
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  });
});
