// Bad input gets an error in the protocol's own terms: never a crash, a hang or a 500.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { signedFetch } from './testing/signed-fetch.ts';
import { startTestServer, type TestServer } from './testing/test-server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => {
  await s.close();
});

test('EFS: malformed JSON, wrong member types, unknown paths', async () => {
  const badJson = await signedFetch(s, { method: 'POST', path: '/2015-02-01/file-systems', body: '{"CreationToken":', service: 'elasticfilesystem',
    headers: { 'content-type': 'application/json' } });
  assert.equal(badJson.status, 400);
  assert.equal(badJson.headers.get('x-amzn-errortype'), 'BadRequest');
  assert.equal(((await badJson.json()) as { ErrorCode: string }).ErrorCode, 'BadRequest');

  const wrongType = await signedFetch(s, { method: 'POST', path: '/2015-02-01/file-systems', body: '{"CreationToken":5,"Encrypted":"yes"}',
    service: 'elasticfilesystem', headers: { 'content-type': 'application/json' } });
  assert.equal(wrongType.status, 400);
  const body = (await wrongType.json()) as { ErrorCode: string; Message: string };
  assert.equal(body.ErrorCode, 'BadRequest');
  assert.match(body.Message, /2 validation errors detected/);

  const array = await signedFetch(s, { method: 'PUT', path: '/2015-02-01/account-preferences', body: '[1,2]', service: 'elasticfilesystem',
    headers: { 'content-type': 'application/json' } });
  assert.equal(array.status, 400);

  const unknown = await signedFetch(s, { method: 'GET', path: '/2015-02-01/nothing-here', service: 'elasticfilesystem' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('x-amzn-errortype'), 'UnknownOperationException');

  const badMax = await signedFetch(s, { method: 'GET', path: '/2015-02-01/file-systems?MaxItems=abc', service: 'elasticfilesystem' });
  assert.equal(badMax.status, 400);
});

test('FSx: malformed JSON, unknown targets, wrong types', async () => {
  const headers = (op: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSSimbaAPIService_v20180301.${op}` });
  const badJson = await signedFetch(s, { method: 'POST', path: '/', body: '{', service: 'fsx', headers: headers('DescribeFileSystems') });
  assert.equal(badJson.status, 400);
  assert.equal(((await badJson.json()) as { __type: string }).__type, 'SerializationException');

  const unknown = await signedFetch(s, { method: 'POST', path: '/', body: '{}', service: 'fsx', headers: headers('Nope') });
  assert.equal(unknown.status, 400);
  assert.equal(((await unknown.json()) as { __type: string }).__type, 'UnknownOperationException');

  const wrongType = await signedFetch(s, { method: 'POST', path: '/', body: '{"FileSystemType":"LUSTRE","SubnetIds":"subnet-local-1a","StorageCapacity":-1}',
    service: 'fsx', headers: headers('CreateFileSystem') });
  assert.equal(wrongType.status, 400);
  const body = (await wrongType.json()) as { __type: string; Message: string };
  assert.equal(body.__type, 'BadRequest');
  assert.match(body.Message, /validation error/);
});
