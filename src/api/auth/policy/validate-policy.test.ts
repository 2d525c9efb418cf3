import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IamError } from '../iam-error.ts';
import { parsePolicyDocument } from './validate-policy.ts';

function malformed(doc: unknown, message: RegExp): void {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  assert.throws(
    () => parsePolicyDocument(text),
    (err: unknown) => err instanceof IamError && err.code === 'MalformedPolicyDocument' && message.test(err.message),
  );
}

const stmt = (extra: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', ...extra }] });

describe('policy document validation', () => {
  it('accepts a single statement object and normalises strings to lists', () => {
    const p = parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: 'fsx:Delete*', Resource: 'arn:fathom:fsx:*' } }));
    assert.deepEqual(p.statements[0].action, { negated: false, patterns: ['fsx:Delete*'] });
    assert.equal(p.statements[0].effect, 'Deny');
  });

  it('rejects bad JSON, bad versions, missing statements and unknown fields', () => {
    malformed('{"Version":', /not valid JSON/);
    malformed({ Version: '2020-01-01', Statement: [] }, /Version/);
    malformed({ Version: '2012-10-17' }, /Statement/);
    malformed({ Version: '2012-10-17', Statement: [] }, /at least one/);
    malformed(stmt({ Actions: '*' }), /unknown field 'Actions'/);
  });

  it('rejects bad effects, actions, resources and principals', () => {
    malformed(stmt({ Effect: 'allow' }), /Effect/);
    malformed(stmt({ Action: 'CreateFileSystem' }), /service:action/);
    malformed(stmt({ NotAction: 'fsx:*' }), /exactly one of 'Action' and 'NotAction'/);
    malformed(stmt({ Resource: 'fs-123' }), /ARN/);
    malformed(stmt({ Principal: '*' }), /Principal/);
    malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] }, /'Resource' and 'NotResource'/);
  });

  it('rejects unknown condition operators and values the operator cannot compare', () => {
    malformed(stmt({ Condition: { StringEqual: { 'aws:username': 'x' } } }), /unknown condition operator 'StringEqual'/);
    malformed(stmt({ Condition: { 'ForSomeValues:StringEquals': { k: 'x' } } }), /qualifier/);
    malformed(stmt({ Condition: { NumericLessThan: { k: 'ten' } } }), /not a number/);
    malformed(stmt({ Condition: { DateLessThan: { k: 'yesterday' } } }), /not a date/);
    malformed(stmt({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }), /CIDR/);
    malformed(stmt({ Condition: { Bool: { k: 'yes' } } }), /true or false/);
    malformed(stmt({ Condition: { StringEquals: { k: { nested: 1 } } } }), /strings, numbers or booleans/);
  });
});
