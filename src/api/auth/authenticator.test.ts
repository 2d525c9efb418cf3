import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { AuthError } from './auth-error.ts';
import { Authenticator } from './authenticator.ts';
import { readCredentialsFile } from './credentials/root-credentials.ts';

describe('Authenticator: root credentials and account id', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-authn-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates a root key once (mode 0600, aws-credentials INI) and reads it back later', async () => {
    const first = await Authenticator.open({ dataDir, env: {} });
    const { accessKeyId, secretAccessKey, created } = first.rootCredentials;
    const accountId = first.iam.accountId;
    await first.close();
    assert.equal(created, true);
    assert.match(accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.match(secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
    assert.match(accountId, /^\d{12}$/);
    const file = path.join(dataDir, 'root-credentials');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readCredentialsFile(file), { accessKeyId, secretAccessKey });
    assert.match(fs.readFileSync(file, 'utf8'), /^\[default\]$/m);

    const second = await Authenticator.open({ dataDir, env: {} });
    assert.deepEqual(second.rootCredentials, { accessKeyId, secretAccessKey, created: false });
    assert.equal(second.iam.accountId, accountId);
    await second.close();
  });

  it('takes the root key from the environment and writes no credentials file', async () => {
    const env = { FATHOM_ROOT_ACCESS_KEY_ID: 'AKIAENVENVENVENVENV1', FATHOM_ROOT_SECRET_ACCESS_KEY: 's'.repeat(40) };
    const auth = await Authenticator.open({ dataDir, env });
    assert.deepEqual(auth.rootCredentials, { accessKeyId: env.FATHOM_ROOT_ACCESS_KEY_ID, secretAccessKey: 's'.repeat(40), created: false });
    await auth.close();
    assert.equal(fs.existsSync(path.join(dataDir, 'root-credentials')), false);
  });

  it('refuses half of the environment override', async () => {
    await assert.rejects(Authenticator.open({ dataDir, env: { FATHOM_ROOT_ACCESS_KEY_ID: 'AKIAENVENVENVENVENV1' } }), /both/);
  });

  it('never logs a secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const logger = pino({ level: 'debug' }, sink);
    const auth = await Authenticator.open({ dataDir, env: {}, logger });
    await auth.verify({ method: 'GET', url: '/', headers: { authorization: 'AWS4-HMAC-SHA256 nonsense' }, body: Buffer.alloc(0) }, 'fsx', ['local-1']).catch(() => {});
    await auth.close();
    assert.equal(lines.length, 2);
    assert.ok(lines.every((l) => !l.includes(auth.rootCredentials.secretAccessKey)));
  });
});

describe('Authenticator.authorize', () => {
  let dataDir: string;
  let auth: Authenticator;
  const FS = 'arn:fathom:elasticfilesystem:local-1:123456789012:file-system/fs-0123456789abcdef0';
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-authz-'));
    auth = await Authenticator.open({ dataDir, env: {}, now: () => new Date('2026-03-01T12:00:00Z') });
  });
  afterEach(async () => {
    await auth.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const principalOf = (userName: string) => ({
    accountId: auth.iam.accountId,
    arn: auth.iam.users.get(userName).arn,
    userName,
    isRoot: false,
    accessKeyId: 'AKIAXXXXXXXXXXXXXXXX',
  });

  it('allows root everything', () => {
    const root = { accountId: auth.iam.accountId, arn: 'arn:fathom:iam::1:root', userName: 'root', isRoot: true, accessKeyId: 'k' };
    auth.authorize(root, 'elasticfilesystem:DeleteFileSystem', FS);
  });

  it('denies a user without policies, allows after a policy is put, and denies again on an explicit deny', () => {
    auth.iam.users.create('bob');
    const bob = principalOf('bob');
    assert.throws(
      () => auth.authorize(bob, 'elasticfilesystem:CreateFileSystem', FS),
      (e: unknown) => e instanceof AuthError && e.code === 'AccessDeniedException' && e.status === 403 && /no identity-based policy allows/.test(e.message),
    );
    auth.iam.policies.put({ user: 'bob' }, 'efs', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'elasticfilesystem:*', Resource: '*' }] }));
    auth.authorize(bob, 'elasticfilesystem:CreateFileSystem', FS);
    auth.iam.policies.put({ user: 'bob' }, 'no-delete', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'elasticfilesystem:Delete*', Resource: '*' }] }));
    assert.throws(() => auth.authorize(bob, 'elasticfilesystem:DeleteFileSystem', FS), /explicit deny/);
  });

  it('applies the policies of the groups a user belongs to', () => {
    auth.iam.users.create('frank');
    auth.iam.groups.create('efs-readers');
    auth.iam.policies.put({ group: 'efs-readers' }, 'read', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'elasticfilesystem:Describe*', Resource: '*' }] }));
    assert.throws(() => auth.authorize(principalOf('frank'), 'elasticfilesystem:DescribeFileSystems', FS), /not authorized/);
    auth.iam.groups.addUser('efs-readers', 'frank');
    auth.authorize(principalOf('frank'), 'elasticfilesystem:DescribeFileSystems', FS);
    assert.throws(() => auth.authorize(principalOf('frank'), 'elasticfilesystem:DeleteFileSystem', FS), /not authorized/);
  });

  it('fills aws:username and aws:CurrentTime from the principal and the clock', () => {
    auth.iam.users.create('carol');
    auth.iam.policies.put({ user: 'carol' }, 'p', JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:username': 'carol' }, DateLessThan: { 'aws:CurrentTime': '2026-04-01T00:00:00Z' } } }],
    }));
    auth.authorize(principalOf('carol'), 'fsx:CreateBackup', FS);
  });
});
