import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import { IamStore } from '../../api/auth/index.ts';
import { registerIamCommands } from './iam.ts';

interface Run { code: number; out: string; err: string }

/** Runs `fathom iam …` in-process through a commander program, capturing output and exit code. */
async function fathom(dataDir: string, ...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const program = new Command('fathom')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
  registerIamCommands(program);
  try {
    await program.parseAsync([...args, '--data-dir', dataDir], { from: 'user' });
    return { code: 0, out, err };
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode, out, err };
    throw e;
  }
}

describe('fathom iam', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-iamcli-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates and lists users as a table and as JSON', async () => {
    assert.equal((await fathom(dataDir, 'iam', 'user', 'create', 'alice')).code, 0);
    const table = await fathom(dataDir, 'iam', 'user', 'list');
    assert.match(table.out, /^UserName\s+UserId\s+Arn\s+CreateDate\nalice\s+AIDA\w+\s+arn:fathom:iam::\d{12}:user\/alice/);
    const json = JSON.parse((await fathom(dataDir, 'iam', 'user', 'list', '--output', 'json')).out) as { Users: { UserName: string }[] };
    assert.deepEqual(json.Users.map((u) => u.UserName), ['alice']);
  });

  it('creates a key whose secret authenticates, and deactivates/activates/deletes it', async () => {
    await fathom(dataDir, 'iam', 'user', 'create', 'bob');
    const created = JSON.parse((await fathom(dataDir, 'iam', 'key', 'create', 'bob', '--output', 'json')).out) as {
      AccessKey: { AccessKeyId: string; SecretAccessKey: string; Status: string };
    };
    const id = created.AccessKey.AccessKeyId;
    const store = IamStore.open(dataDir);
    try {
      assert.equal(store.keys.findActive(id)?.secretAccessKey, created.AccessKey.SecretAccessKey);
      assert.equal((await fathom(dataDir, 'iam', 'key', 'deactivate', id)).code, 0);
      assert.equal(store.keys.findActive(id), undefined);
      assert.match((await fathom(dataDir, 'iam', 'key', 'list', '--user', 'bob')).out, new RegExp(`${id}\\s+Inactive`));
      await fathom(dataDir, 'iam', 'key', 'activate', id);
      assert.ok(store.keys.findActive(id));
      await fathom(dataDir, 'iam', 'key', 'delete', id);
      assert.equal(store.keys.list('bob').length, 0);
    } finally {
      store.close();
    }
    const list = await fathom(dataDir, 'iam', 'key', 'list', '--output', 'json');
    assert.doesNotMatch(list.out, /Secret/);
  });

  it('puts policies from file:// and inline JSON, gets, lists and deletes them', async () => {
    await fathom(dataDir, 'iam', 'user', 'create', 'carol');
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'fsx:*', Resource: '*' }] };
    const file = path.join(dataDir, 'p.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    assert.equal((await fathom(dataDir, 'iam', 'policy', 'put', 'carol', 'fsx', '--document', `file://${file}`)).code, 0);
    assert.equal((await fathom(dataDir, 'iam', 'policy', 'put', 'carol', 'inline', '--document', JSON.stringify(doc))).code, 0);
    const got = JSON.parse((await fathom(dataDir, 'iam', 'policy', 'get', 'carol', 'fsx', '--output', 'json')).out) as { PolicyDocument: unknown };
    assert.deepEqual(got.PolicyDocument, doc);
    assert.match((await fathom(dataDir, 'iam', 'policy', 'list', 'carol')).out, /^PolicyName\nfsx\ninline\n$/);
    await fathom(dataDir, 'iam', 'policy', 'delete', 'carol', 'fsx');
    assert.match((await fathom(dataDir, 'iam', 'policy', 'list', 'carol')).out, /^PolicyName\ninline\n$/);
  });

  it('manages groups and group policies', async () => {
    await fathom(dataDir, 'iam', 'user', 'create', 'gina');
    assert.equal((await fathom(dataDir, 'iam', 'group', 'create', 'admins')).code, 0);
    assert.equal((await fathom(dataDir, 'iam', 'group', 'add-user', 'admins', 'gina')).code, 0);
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    assert.equal((await fathom(dataDir, 'iam', 'policy', 'put', 'admins', 'all', '--group', '--document', doc)).code, 0);
    assert.match((await fathom(dataDir, 'iam', 'group', 'list')).out, /^GroupName\s+GroupId\s+Arn\s+Members\nadmins\s+AGPA\w+\s+arn:fathom:iam::\d{12}:group\/admins\s+gina\n$/);
    assert.match((await fathom(dataDir, 'iam', 'policy', 'list', 'admins', '--group')).out, /^PolicyName\nall\n$/);
    assert.match((await fathom(dataDir, 'iam', 'policy', 'list', 'gina')).out, /^PolicyName\n$/);
    const conflict = await fathom(dataDir, 'iam', 'group', 'delete', 'admins');
    assert.equal(conflict.code, 1);
    assert.match(conflict.err, /DeleteConflict/);
    assert.equal((await fathom(dataDir, 'iam', 'group', 'delete', 'admins', '--force')).code, 0);
  });

  it('fails with a clear message and a non-zero exit code', async () => {
    const missing = await fathom(dataDir, 'iam', 'user', 'delete', 'nobody');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /NoSuchEntity: The user with name nobody cannot be found/);
    await fathom(dataDir, 'iam', 'user', 'create', 'dave');
    const bad = await fathom(dataDir, 'iam', 'policy', 'put', 'dave', 'p', '--document', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"nope","Resource":"*"}]}');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /MalformedPolicyDocument: .*service:action/);
    const noFile = await fathom(dataDir, 'iam', 'policy', 'put', 'dave', 'p', '--document', 'file:///nonexistent/p.json');
    assert.equal(noFile.code, 2);
    assert.match(noFile.err, /cannot read policy document/);
    assert.notEqual((await fathom(dataDir, 'iam', 'user', 'list', '--output', 'yaml')).code, 0);
  });

  it('exits non-zero as a real process', async () => {
    const script = `import { Command } from 'commander';
      import { registerIamCommands } from ${JSON.stringify(fileURLToPath(new URL('./iam.ts', import.meta.url)))};
      const p = new Command('fathom'); registerIamCommands(p); await p.parseAsync(process.argv.slice(1), { from: 'user' });`;
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], { env: { ...process.env, FATHOM_DATA_DIR: dataDir } }, (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
        );
      });
    const ok = await run('iam', 'user', 'create', 'erin');
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(fs.existsSync(path.join(dataDir, 'iam.db')), 'FATHOM_DATA_DIR picked the data directory');
    const dup = await run('iam', 'user', 'create', 'erin');
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /EntityAlreadyExists/);
  });
});
