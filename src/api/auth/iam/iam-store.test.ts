import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { IamError, type IamErrorCode } from '../iam-error.ts';
import { IamStore } from './iam-store.ts';

function fails(code: IamErrorCode, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof IamError && e.code === code);
}

const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'fsx:*', Resource: '*' }] });

describe('IamStore', () => {
  let dataDir: string;
  let store: IamStore;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-iam-'));
    store = IamStore.open(dataDir);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates users with account-scoped ARNs; names are unique case-insensitively', () => {
    const u = store.users.create('Alice');
    assert.equal(u.arn, `arn:fathom:iam::${store.accountId}:user/Alice`);
    assert.match(u.userId, /^AIDA[A-Z2-7]{17}$/);
    fails('EntityAlreadyExists', () => store.users.create('alice'));
    fails('ValidationError', () => store.users.create('bad name'));
    assert.deepEqual(store.users.list().map((x) => x.userName), ['Alice']);
  });

  it('keeps several keys per user; only Active keys authenticate', () => {
    store.users.create('bob');
    const k1 = store.keys.create('bob');
    const k2 = store.keys.create('bob');
    assert.notEqual(k1.accessKeyId, k2.accessKeyId);
    assert.deepEqual(store.keys.findActive(k1.accessKeyId), { userName: 'bob', secretAccessKey: k1.secretAccessKey });
    store.keys.setStatus(k1.accessKeyId, 'Inactive');
    assert.equal(store.keys.findActive(k1.accessKeyId), undefined);
    assert.deepEqual(store.keys.list('bob').map((k) => k.status), ['Inactive', 'Active']);
    store.keys.setStatus(k1.accessKeyId, 'Active');
    assert.ok(store.keys.findActive(k1.accessKeyId));
    store.keys.delete(k2.accessKeyId);
    assert.equal(store.keys.findActive(k2.accessKeyId), undefined);
    fails('NoSuchEntity', () => store.keys.delete(k2.accessKeyId));
    fails('NoSuchEntity', () => store.keys.create('nobody'));
  });

  it('stores validated inline policies and refuses malformed ones', () => {
    store.users.create('carol');
    store.policies.put({ user: 'carol' }, 'fsx-all', POLICY);
    assert.equal(store.policies.get({ user: 'carol' }, 'fsx-all'), POLICY);
    fails('MalformedPolicyDocument', () => store.policies.put({ user: 'carol' }, 'bad', '{"Statement": []}'));
    assert.deepEqual(store.policies.list({ user: 'carol' }), ['fsx-all']);
    assert.equal(store.policies.effectiveFor('carol').length, 1);
    store.policies.delete({ user: 'carol' }, 'fsx-all');
    fails('NoSuchEntity', () => store.policies.get({ user: 'carol' }, 'fsx-all'));
  });

  it('refuses to delete a user with keys or policies unless forced', () => {
    store.users.create('dave');
    const key = store.keys.create('dave');
    store.policies.put({ user: 'dave' }, 'p', POLICY);
    fails('DeleteConflict', () => store.users.delete('dave'));
    store.users.delete('dave', { force: true });
    assert.equal(store.keys.findActive(key.accessKeyId), undefined);
    fails('NoSuchEntity', () => store.users.get('dave'));
  });

  it('groups: members get the group policies; deletion needs force while members or policies remain', () => {
    store.users.create('gina');
    const g = store.groups.create('Admins');
    assert.equal(g.arn, `arn:fathom:iam::${store.accountId}:group/Admins`);
    fails('EntityAlreadyExists', () => store.groups.create('admins'));
    store.policies.put({ group: 'admins' }, 'fsx-all', POLICY);
    assert.equal(store.policies.effectiveFor('gina').length, 0);
    store.groups.addUser('admins', 'GINA');
    assert.deepEqual(store.groups.members('Admins'), ['gina']);
    assert.deepEqual(store.groups.groupsOf('gina'), ['Admins']);
    assert.equal(store.policies.effectiveFor('gina').length, 1);
    fails('DeleteConflict', () => store.users.delete('gina'));
    fails('DeleteConflict', () => store.groups.delete('Admins'));
    store.groups.removeUser('Admins', 'gina');
    assert.equal(store.policies.effectiveFor('gina').length, 0);
    fails('NoSuchEntity', () => store.groups.removeUser('Admins', 'gina'));
    store.groups.delete('Admins', { force: true });
    fails('NoSuchEntity', () => store.policies.list({ group: 'Admins' }));
    store.users.delete('gina');
  });

  it('is shared with a second process-like handle on the same data dir (WAL), with a stable account id', () => {
    const other = IamStore.open(dataDir);
    try {
      other.users.create('erin');
      const key = other.keys.create('erin');
      assert.equal(other.accountId, store.accountId);
      assert.equal(store.keys.findActive(key.accessKeyId)?.userName, 'erin');
      assert.equal(fs.statSync(path.join(dataDir, 'iam.db')).mode & 0o777, 0o600);
    } finally {
      other.close();
    }
  });
});
