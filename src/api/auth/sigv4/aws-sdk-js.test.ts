import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFileSystemCommand, DescribeFileSystemsCommand, EFSClient, ListTagsForResourceCommand } from '@aws-sdk/client-efs';
import { DescribeFileSystemsCommand as FsxDescribe, FSxClient } from '@aws-sdk/client-fsx';
import { startSigningServer, type SigningServer } from '../test-support/signing-server.ts';

interface Creds { accessKeyId: string; secretAccessKey: string }

describe('SigV4 with the AWS SDK for JavaScript v3', () => {
  let server: SigningServer;
  const efs = (credentials: Creds, region = 'local-1') =>
    new EFSClient({ endpoint: server.endpoint, region, credentials, maxAttempts: 1 });
  const root = (): Creds => server.auth.rootCredentials;

  /** The error name the SDK parsed from the response (what an application's catch sees). */
  async function errorName(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (err) {
      return (err as Error).name;
    }
    return 'no error';
  }

  before(async () => {
    server = await startSigningServer();
  });
  after(() => server.close());

  it('accepts GET with query, GET with an encoded path label, and POST with a body', async () => {
    const client = efs(root());
    await client.send(new DescribeFileSystemsCommand({ CreationToken: 'tok en/ü*', MaxItems: 5 }));
    await client.send(new ListTagsForResourceCommand({ ResourceId: 'arn:fathom:efs:local-1:1:file-system/fs-1', MaxResults: 3 }));
    await client.send(new CreateFileSystemCommand({ CreationToken: 'x', Tags: [{ Key: 'k', Value: 'v w' }] }));
    const fsx = new FSxClient({ endpoint: server.endpoint, region: 'local-2', credentials: root(), maxAttempts: 1 });
    await fsx.send(new FsxDescribe({ FileSystemIds: ['fs-0123456789abcdef0'] }));
    assert.equal(server.accepted.length, 4);
    assert.ok(server.accepted.every((p) => p.isRoot));
  });

  it('rejects a wrong secret, an unknown key, a skewed clock and an unknown region', async () => {
    const acceptedBefore = server.accepted.length;
    const wrongSecret = { accessKeyId: root().accessKeyId, secretAccessKey: 'z'.repeat(40) };
    assert.equal(await errorName(efs(wrongSecret).send(new DescribeFileSystemsCommand({}))), 'InvalidSignatureException');
    const unknown = { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'z'.repeat(40) };
    assert.equal(await errorName(efs(unknown).send(new DescribeFileSystemsCommand({}))), 'UnrecognizedClientException');
    assert.equal(
      await errorName(efs(root(), 'mars-9').send(new DescribeFileSystemsCommand({}))),
      'InvalidSignatureException',
    );
    server.setSkewMs(-16 * 60 * 1000);
    try {
      assert.equal(await errorName(efs(root()).send(new DescribeFileSystemsCommand({}))), 'InvalidSignatureException');
    } finally {
      server.setSkewMs(0);
    }
    assert.equal(server.accepted.length, acceptedBefore);
  });
});
