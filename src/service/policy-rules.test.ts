import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rulesFromPolicy } from './policy-rules.ts';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[], extra: object = {}) => ({ Effect: 'Allow', Principal: { AWS: '*' }, Action: action, ...extra });

test('no policy is full access', () => {
  assert.deepEqual(rulesFromPolicy(null, {}), { rootSquash: false, readOnly: false, mountRefused: false });
});

test('each missing Client* action maps to its restriction', () => {
  assert.deepEqual(rulesFromPolicy(policy(allow('elasticfilesystem:ClientMount')), {}), { rootSquash: true, readOnly: true, mountRefused: false });
  assert.deepEqual(rulesFromPolicy(policy(allow(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'])), {}),
    { rootSquash: true, readOnly: false, mountRefused: false });
  assert.deepEqual(rulesFromPolicy(policy(allow('elasticfilesystem:Client*')), {}), { rootSquash: false, readOnly: false, mountRefused: false });
  assert.deepEqual(rulesFromPolicy(policy(allow('s3:*')), {}), { rootSquash: true, readOnly: true, mountRefused: true });
});

test('explicit deny wins; conditions see NFS facts (no TLS, via mount target, access point ARN)', () => {
  const denyInsecure = { Effect: 'Deny', Principal: '*', Action: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
  assert.equal(rulesFromPolicy(policy(allow('elasticfilesystem:*'), denyInsecure), {}).mountRefused, true);
  const apOnly = allow('elasticfilesystem:ClientWrite', { Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': 'arn:fathom:elasticfilesystem:local-1:1:access-point/fsap-1' } } });
  const p = policy(allow('elasticfilesystem:ClientMount'), apOnly);
  assert.equal(rulesFromPolicy(p, {}).readOnly, true);
  assert.equal(rulesFromPolicy(p, { accessPointArn: 'arn:fathom:elasticfilesystem:local-1:1:access-point/fsap-1' }).readOnly, false);
});
