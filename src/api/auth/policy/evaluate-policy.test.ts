import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicies } from './evaluate-policy.ts';
import type { Decision, RequestContext } from './policy-types.ts';
import { parsePolicyDocument } from './validate-policy.ts';

const FS = 'arn:fathom:elasticfilesystem:local-1:123456789012:file-system/fs-0123456789abcdef0';
const AP = 'arn:fathom:elasticfilesystem:local-1:123456789012:access-point/fsap-0123456789abcdef0';

type StatementInput = Record<string, unknown>;

function decide(statements: StatementInput[], action: string, resource = FS, context: RequestContext = {}): Decision {
  const policy = parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
  return evaluatePolicies([policy], { action, resource, context });
}

const allow = (extra: StatementInput = {}): StatementInput => ({ Effect: 'Allow', Action: '*', Resource: '*', ...extra });
const deny = (extra: StatementInput = {}): StatementInput => ({ Effect: 'Deny', Action: '*', Resource: '*', ...extra });

describe('policy evaluation: actions and resources', () => {
  it('denies implicitly when nothing allows', () => {
    assert.equal(evaluatePolicies([], { action: 'fsx:CreateBackup', resource: FS, context: {} }), 'ImplicitDeny');
    assert.equal(decide([allow({ Action: 'fsx:*' })], 'elasticfilesystem:CreateFileSystem'), 'ImplicitDeny');
  });

  it('matches action wildcards, case-insensitively', () => {
    const s = [allow({ Action: ['elasticfilesystem:Describe*', 'fsx:?agResource'] })];
    assert.equal(decide(s, 'elasticfilesystem:DescribeFileSystems'), 'Allow');
    assert.equal(decide(s, 'ElasticFileSystem:describefilesystems'), 'Allow');
    assert.equal(decide(s, 'fsx:TagResource'), 'Allow');
    assert.equal(decide(s, 'fsx:UntagResource'), 'ImplicitDeny');
    assert.equal(decide(s, 'elasticfilesystem:CreateFileSystem'), 'ImplicitDeny');
  });

  it('an explicit deny wins over any allow, in any order', () => {
    const s = [allow(), deny({ Action: 'elasticfilesystem:Delete*' }), allow({ Action: 'elasticfilesystem:DeleteFileSystem' })];
    assert.equal(decide(s, 'elasticfilesystem:DeleteFileSystem'), 'ExplicitDeny');
    assert.equal(decide(s, 'elasticfilesystem:CreateFileSystem'), 'Allow');
  });

  it('NotAction and NotResource match everything except the listed patterns', () => {
    const s = [{ Effect: 'Allow', NotAction: 'elasticfilesystem:Delete*', Resource: '*' }];
    assert.equal(decide(s, 'elasticfilesystem:DeleteFileSystem'), 'ImplicitDeny');
    assert.equal(decide(s, 'fsx:DeleteFileSystem'), 'Allow');
    const r = [{ Effect: 'Allow', Action: '*', NotResource: 'arn:fathom:elasticfilesystem:*:*:access-point/*' }];
    assert.equal(decide(r, 'elasticfilesystem:DescribeAccessPoints', AP), 'ImplicitDeny');
    assert.equal(decide(r, 'elasticfilesystem:DescribeFileSystems', FS), 'Allow');
  });

  it('matches resource ARNs field by field, case-sensitively', () => {
    const s = [allow({ Resource: 'arn:fathom:elasticfilesystem:local-1:*:file-system/fs-0123*' })];
    assert.equal(decide(s, 'elasticfilesystem:X', FS), 'Allow');
    assert.equal(decide(s, 'elasticfilesystem:X', FS.replace('local-1', 'local-2')), 'ImplicitDeny');
    assert.equal(decide(s, 'elasticfilesystem:X', FS.replace('file-system', 'File-System')), 'ImplicitDeny');
    // a wildcard in the region field must not swallow the account field
    const region = [allow({ Resource: 'arn:fathom:elasticfilesystem:*:file-system/*' })];
    assert.equal(decide(region, 'elasticfilesystem:X', FS), 'ImplicitDeny');
    const prefix = [allow({ Resource: 'arn:fathom:elasticfilesystem:*' })];
    assert.equal(decide(prefix, 'elasticfilesystem:X', FS), 'Allow');
  });

  it('substitutes policy variables in resources (Version 2012-10-17 only)', () => {
    const s = [allow({ Resource: 'arn:fathom:elasticfilesystem:local-1:123456789012:file-system/${aws:username}' })];
    const fsOf = (name: string) => `arn:fathom:elasticfilesystem:local-1:123456789012:file-system/${name}`;
    assert.equal(decide(s, 'elasticfilesystem:X', fsOf('bob'), { 'aws:username': 'bob' }), 'Allow');
    assert.equal(decide(s, 'elasticfilesystem:X', fsOf('eve'), { 'aws:username': 'bob' }), 'ImplicitDeny');
    assert.equal(decide(s, 'elasticfilesystem:X', fsOf('bob'), {}), 'ImplicitDeny');
    const old = parsePolicyDocument(JSON.stringify({ Version: '2008-10-17', Statement: s }));
    const d = evaluatePolicies([old], { action: 'elasticfilesystem:X', resource: fsOf('bob'), context: { 'aws:username': 'bob' } });
    assert.equal(d, 'ImplicitDeny');
  });
});

describe('policy evaluation: conditions', () => {
  const when = (condition: Record<string, Record<string, unknown>>, context: RequestContext): Decision =>
    decide([allow({ Condition: condition })], 'elasticfilesystem:CreateFileSystem', FS, context);

  it('string operators: equals, ignore case, like, and their negations', () => {
    assert.equal(when({ StringEquals: { 'aws:RequestTag/team': ['red', 'blue'] } }, { 'aws:RequestTag/team': 'blue' }), 'Allow');
    assert.equal(when({ StringEquals: { 'aws:RequestTag/team': 'red' } }, { 'aws:RequestTag/team': 'Red' }), 'ImplicitDeny');
    assert.equal(when({ StringEqualsIgnoreCase: { 'aws:RequestTag/team': 'red' } }, { 'aws:RequestTag/team': 'Red' }), 'Allow');
    assert.equal(when({ StringLike: { 'aws:RequestTag/team': 'r?d*' } }, { 'aws:RequestTag/team': 'redder' }), 'Allow');
    assert.equal(when({ StringNotLike: { 'aws:RequestTag/team': 'r*' } }, { 'aws:RequestTag/team': 'red' }), 'ImplicitDeny');
    assert.equal(when({ StringNotEquals: { 'aws:RequestTag/team': ['red', 'blue'] } }, { 'aws:RequestTag/team': 'green' }), 'Allow');
  });

  it('condition keys are case-insensitive and all keys and operators must hold', () => {
    const both = { StringEquals: { 'AWS:UserName': 'bob' }, Bool: { 'aws:SecureTransport': 'false' } };
    assert.equal(when(both, { 'aws:username': 'bob', 'aws:SecureTransport': 'false' }), 'Allow');
    assert.equal(when(both, { 'aws:username': 'bob', 'aws:SecureTransport': 'true' }), 'ImplicitDeny');
  });

  it('a missing key fails positive operators, passes negated ones, IfExists and Null', () => {
    assert.equal(when({ StringEquals: { 'aws:RequestTag/team': 'red' } }, {}), 'ImplicitDeny');
    assert.equal(when({ StringNotEquals: { 'aws:RequestTag/team': 'red' } }, {}), 'Allow');
    assert.equal(when({ StringEqualsIfExists: { 'aws:RequestTag/team': 'red' } }, {}), 'Allow');
    assert.equal(when({ StringEqualsIfExists: { 'aws:RequestTag/team': 'red' } }, { 'aws:RequestTag/team': 'blue' }), 'ImplicitDeny');
    assert.equal(when({ Null: { 'aws:RequestTag/team': 'true' } }, {}), 'Allow');
    assert.equal(when({ Null: { 'aws:RequestTag/team': 'false' } }, {}), 'ImplicitDeny');
  });

  it('numeric and date comparisons', () => {
    assert.equal(when({ NumericLessThanEquals: { 'fathom:Size': 100 } }, { 'fathom:Size': '100' }), 'Allow');
    assert.equal(when({ NumericLessThan: { 'fathom:Size': '100' } }, { 'fathom:Size': '100' }), 'ImplicitDeny');
    assert.equal(when({ NumericGreaterThan: { 'fathom:Size': '1.5' } }, { 'fathom:Size': '2' }), 'Allow');
    assert.equal(when({ NumericEquals: { 'fathom:Size': '2' } }, { 'fathom:Size': 'two' }), 'ImplicitDeny');
    const t = { 'aws:CurrentTime': '2026-03-01T12:00:00Z' };
    assert.equal(when({ DateLessThan: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } }, t), 'Allow');
    assert.equal(when({ DateGreaterThan: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } }, t), 'ImplicitDeny');
    assert.equal(when({ DateGreaterThanEquals: { 'aws:CurrentTime': '1772366400' } }, t), 'Allow'); // epoch seconds
  });

  it('IpAddress and NotIpAddress over IPv4, IPv4-mapped IPv6 and IPv6', () => {
    const cidrs = { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] };
    assert.equal(when({ IpAddress: cidrs }, { 'aws:SourceIp': '10.1.2.3' }), 'Allow');
    assert.equal(when({ IpAddress: cidrs }, { 'aws:SourceIp': '::ffff:10.1.2.3' }), 'Allow');
    assert.equal(when({ IpAddress: cidrs }, { 'aws:SourceIp': '2001:db8::1' }), 'Allow');
    assert.equal(when({ IpAddress: cidrs }, { 'aws:SourceIp': '192.168.0.1' }), 'ImplicitDeny');
    assert.equal(when({ NotIpAddress: cidrs }, { 'aws:SourceIp': '192.168.0.1' }), 'Allow');
  });

  it('ArnLike and ArnEquals', () => {
    const key = 'elasticfilesystem:AccessPointArn';
    assert.equal(when({ ArnLike: { [key]: 'arn:fathom:elasticfilesystem:*:*:access-point/fsap-0123*' } }, { [key]: AP }), 'Allow');
    assert.equal(when({ ArnEquals: { [key]: AP } }, { [key]: AP }), 'Allow');
    assert.equal(when({ ArnNotLike: { [key]: 'arn:fathom:elasticfilesystem:*:*:access-point/*' } }, { [key]: AP }), 'ImplicitDeny');
  });

  it('ForAnyValue and ForAllValues over multi-valued keys', () => {
    const keys = { 'aws:TagKeys': ['team', 'cost'] };
    assert.equal(when({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost', 'env'] } }, keys), 'Allow');
    assert.equal(when({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, keys), 'ImplicitDeny');
    assert.equal(when({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, {}), 'Allow'); // vacuously true, as in IAM
    assert.equal(when({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }, keys), 'Allow');
    assert.equal(when({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, keys), 'ImplicitDeny');
    assert.equal(when({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }, {}), 'ImplicitDeny');
  });

  it('a Deny with a condition applies only when the condition holds', () => {
    const s = [allow(), deny({ Condition: { NotIpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } })];
    assert.equal(decide(s, 'fsx:CreateBackup', FS, { 'aws:SourceIp': '127.0.0.1' }), 'Allow');
    assert.equal(decide(s, 'fsx:CreateBackup', FS, { 'aws:SourceIp': '10.0.0.1' }), 'ExplicitDeny');
  });

  it('policy variables in condition values', () => {
    const c = { StringEquals: { 'aws:RequestTag/owner': '${aws:username}' } };
    assert.equal(when(c, { 'aws:username': 'bob', 'aws:RequestTag/owner': 'bob' }), 'Allow');
    assert.equal(when(c, { 'aws:username': 'bob', 'aws:RequestTag/owner': 'eve' }), 'ImplicitDeny');
  });
});
