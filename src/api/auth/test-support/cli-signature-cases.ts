import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runAws, startSigningServer, type SigningServer } from './signing-server.ts';

/**
 * The same signature scenarios for every `aws` CLI generation: real clients must be accepted,
 * and each kind of bad request must make the CLI print AWS's error code.
 */
export function describeCliSignatureCases(label: string, binary: string, expectedVersion: RegExp): void {
  describe(`SigV4 with ${label}`, () => {
    let server: SigningServer;
    const root = () => server.auth.rootCredentials;
    const efs = (region: string, ...extra: string[]) => [
      'efs', 'describe-file-systems', '--endpoint-url', server.endpoint, '--region', region, ...extra,
    ];

    before(async () => {
      server = await startSigningServer();
      const version = await runAws(binary, ['--version'], undefined);
      assert.match(version.stdout + version.stderr, expectedVersion, `${binary} is not the CLI this file tests`);
    });
    after(() => server.close());

    it('accepts EFS GET (query, encoded ARN path label), EFS POST and FSx POST requests signed with the root key', async () => {
      const getResult = await runAws(binary, efs('local-1', '--creation-token', 'a b/c+d=e'), root());
      assert.equal(getResult.code, 0, getResult.stderr);
      const postResult = await runAws(
        binary,
        ['fsx', 'describe-file-systems', '--endpoint-url', server.endpoint, '--region', 'local-2', '--file-system-ids', 'fs-0123456789abcdef0'],
        root(),
      );
      assert.equal(postResult.code, 0, postResult.stderr);
      const arn = 'arn:fathom:elasticfilesystem:local-1:123456789012:file-system/fs-0123456789abcdef0';
      const labelResult = await runAws(binary, ['efs', 'list-tags-for-resource', '--resource-id', arn, '--endpoint-url', server.endpoint, '--region', 'local-1'], root());
      assert.equal(labelResult.code, 0, labelResult.stderr);
      const createResult = await runAws(binary, ['efs', 'create-file-system', '--creation-token', 'tok', '--tags', 'Key=a b,Value=c', '--endpoint-url', server.endpoint, '--region', 'local-1'], root());
      assert.equal(createResult.code, 0, createResult.stderr);
      assert.equal(server.accepted.length, 4);
      assert.equal(server.accepted[0].isRoot, true);
    });

    it('accepts an IAM user key, and rejects it once deactivated', async () => {
      server.auth.iam.users.create('alice');
      const key = server.auth.iam.keys.create('alice');
      const ok = await runAws(binary, efs('local-1'), key);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(server.accepted.at(-1)?.userName, 'alice');
      server.auth.iam.keys.setStatus(key.accessKeyId, 'Inactive');
      const denied = await runAws(binary, efs('local-1'), key);
      assert.notEqual(denied.code, 0);
      assert.match(denied.stderr, /UnrecognizedClientException/);
    });

    it('rejects a wrong secret with InvalidSignatureException', async () => {
      const r = await runAws(binary, efs('local-1'), { accessKeyId: root().accessKeyId, secretAccessKey: 'x'.repeat(40) });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /InvalidSignatureException/);
    });

    it('rejects an unknown key with UnrecognizedClientException', async () => {
      const r = await runAws(binary, efs('local-1'), { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'y'.repeat(40) });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /UnrecognizedClientException/);
    });

    it('rejects a request signed 20 minutes off the server clock as expired', async () => {
      server.setSkewMs(20 * 60 * 1000);
      try {
        const r = await runAws(binary, efs('local-1'), root());
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /InvalidSignatureException/);
        assert.match(r.stderr, /Signature expired/);
      } finally {
        server.setSkewMs(0);
      }
    });

    it('rejects an unsigned request with MissingAuthenticationTokenException', async () => {
      const r = await runAws(binary, efs('local-1', '--no-sign-request'), undefined);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /MissingAuthenticationTokenException/);
    });

    it('rejects an unknown region, naming the regions it serves', async () => {
      const r = await runAws(binary, efs('moon-1'), root());
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /InvalidSignatureException/);
      assert.match(r.stderr, /local-1, local-2/);
    });
  });
}
