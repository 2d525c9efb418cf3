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
    const u = store.createUser('Alice');
    assert.equal(u.arn, `arn:fathom:iam::${store.accountId}:user/Alice`);
    assert.match(u.userId, /^AIDA[A-Z2-7]{17}$/);
    fails('EntityAlreadyExists', () => store.createUser('alice'));
    fails('ValidationError', () => store.createUser('bad name'));
    assert.deepEqual(store.listUsers().map((x) => x.userName), ['Alice']);
  });

  it('keeps several keys per user; only Active keys authenticate', () => {
    store.createUser('bob');
    const k1 = store.createAccessKey('bob');
    const k2 = store.createAccessKey('bob');
    assert.notEqual(k1.accessKeyId, k2.accessKeyId);
    assert.deepEqual(store.findActiveKey(k1.accessKeyId), { userName: 'bob', secretAccessKey: k1.secretAccessKey });
    store.setAccessKeyStatus(k1.accessKeyId, 'Inactive');
    assert.equal(store.findActiveKey(k1.accessKeyId), undefined);
    assert.deepEqual(store.listAccessKeys('bob').map((k) => k.status), ['Inactive', 'Active']);
    store.setAccessKeyStatus(k1.accessKeyId, 'Active');
    assert.ok(store.findActiveKey(k1.accessKeyId));
    store.deleteAccessKey(k2.accessKeyId);
    assert.equal(store.findActiveKey(k2.accessKeyId), undefined);
    fails('NoSuchEntity', () => store.deleteAccessKey(k2.accessKeyId));
    fails('NoSuchEntity', () => store.createAccessKey('nobody'));
  });

  it('stores validated inline policies and refuses malformed ones', () => {
    store.createUser('carol');
    store.putUserPolicy('carol', 'fsx-all', POLICY);
    assert.equal(store.getUserPolicy('carol', 'fsx-all'), POLICY);
    fails('MalformedPolicyDocument', () => store.putUserPolicy('carol', 'bad', '{"Statement": []}'));
    assert.deepEqual(store.listUserPolicies('carol'), ['fsx-all']);
    assert.equal(store.policiesFor('carol').length, 1);
    store.deleteUserPolicy('carol', 'fsx-all');
    fails('NoSuchEntity', () => store.getUserPolicy('carol', 'fsx-all'));
  });

  it('refuses to delete a user with keys or policies unless forced', () => {
    store.createUser('dave');
    const key = store.createAccessKey('dave');
    store.putUserPolicy('dave', 'p', POLICY);
    fails('DeleteConflict', () => store.deleteUser('dave'));
    store.deleteUser('dave', { force: true });
    assert.equal(store.findActiveKey(key.accessKeyId), undefined);
    fails('NoSuchEntity', () => store.getUser('dave'));
  });

  it('is shared with a second process-like handle on the same data dir (WAL), with a stable account id', () => {
    const other = IamStore.open(dataDir);
    try {
      other.createUser('erin');
      const key = other.createAccessKey('erin');
      assert.equal(other.accountId, store.accountId);
      assert.equal(store.findActiveKey(key.accessKeyId)?.userName, 'erin');
      assert.equal(fs.statSync(path.join(dataDir, 'iam.db')).mode & 0o777, 0o600);
    } finally {
      other.close();
    }
  });
});
