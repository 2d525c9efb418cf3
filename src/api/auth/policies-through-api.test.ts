import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFileSystemCommand, DescribeFileSystemsCommand, EFSClient } from '@aws-sdk/client-efs';
import { DescribeFileSystemsCommand as FsxDescribe, FSxClient } from '@aws-sdk/client-fsx';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { runAws } from './test-support/signing-server.ts';

/** Identity policies enforced on real API calls, from the SDK and the aws CLI's point of view. */
describe('IAM policies through the API', () => {
  let server: TestServer;
  let reader: { accessKeyId: string; secretAccessKey: string };

  before(async () => {
    server = await startTestServer();
    const iam = server.auth.iam;
    iam.users.create('reader');
    reader = iam.keys.create('reader');
    iam.policies.put({ user: 'reader' }, 'read-efs', JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['elasticfilesystem:Describe*', 'fsx:Describe*'], Resource: '*' },
        { Effect: 'Deny', Action: 'fsx:*', Resource: '*' },
      ],
    }));
  });
  after(() => server.close());

  const efs = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new EFSClient({ endpoint: server.url, region: 'local-1', credentials, maxAttempts: 1 });

  it('allows what the policy allows and denies the rest with AccessDeniedException', async () => {
    await efs(reader).send(new DescribeFileSystemsCommand({}));
    await assert.rejects(efs(reader).send(new CreateFileSystemCommand({ CreationToken: 't1' })), (e: Error) => {
      assert.equal(e.name, 'AccessDeniedException');
      assert.match(e.message, /user\/reader is not authorized to perform: elasticfilesystem:CreateFileSystem/);
      return true;
    });
    await efs(server.credentials).send(new CreateFileSystemCommand({ CreationToken: 't2' })); // root may
  });

  it('an explicit deny beats the allow', async () => {
    const fsx = new FSxClient({ endpoint: server.url, region: 'local-1', credentials: reader, maxAttempts: 1 });
    await assert.rejects(fsx.send(new FsxDescribe({})), (e: Error) => e.name === 'AccessDeniedException' && /explicit deny/.test(e.message));
  });

  it('conditions see the caller: aws:SourceIp is the client address', async () => {
    const iam = server.auth.iam;
    iam.users.create('netuser');
    const key = iam.keys.create('netuser');
    const onlyFrom = (cidr: string) => JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 'elasticfilesystem:DescribeFileSystems', Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': cidr } } },
    });
    iam.policies.put({ user: 'netuser' }, 'net', onlyFrom('10.9.0.0/16'));
    await assert.rejects(efs(key).send(new DescribeFileSystemsCommand({})), (e: Error) => e.name === 'AccessDeniedException');
    iam.policies.put({ user: 'netuser' }, 'net', onlyFrom('127.0.0.0/8'));
    await efs(key).send(new DescribeFileSystemsCommand({}));
  });

  it('the aws CLI prints AccessDeniedException, and a policy change applies to the next call', async () => {
    const args = ['efs', 'create-file-system', '--creation-token', 't3', '--endpoint-url', server.url, '--region', 'local-1'];
    const denied = await runAws('/usr/bin/aws', args, reader);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /AccessDeniedException/);
    server.auth.iam.policies.put({ user: 'reader' }, 'create', JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 'elasticfilesystem:CreateFileSystem', Resource: '*' },
    }));
    const allowed = await runAws('/usr/bin/aws', args, reader);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /"FileSystemId": "fs-[0-9a-f]{17}"/);
  });
});
