import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthError } from '../auth-error.ts';
import type { SignedRequest } from '../principal.ts';
import { NodeSha256 } from './node-sha256.ts';
import { verifySigV4, type VerifyOptions } from './verify-request.ts';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const NOW = new Date('2026-03-01T12:00:00Z');
const opts: VerifyOptions = {
  service: 'elasticfilesystem',
  knownRegions: ['local-1'],
  now: NOW,
  secretFor: (id) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined),
};

/** Signs like an SDK would, and returns the request as the server would see it. */
async function signed(
  init: { method?: string; path?: string; query?: Record<string, string>; body?: string; service?: string; region?: string; headers?: Record<string, string> } = {},
): Promise<SignedRequest> {
  const signer = new SignatureV4({ credentials: KEY, region: init.region ?? 'local-1', service: init.service ?? 'elasticfilesystem', sha256: NodeSha256 });
  const path = init.path ?? '/2015-02-01/file-systems';
  const query = init.query ?? {};
  const body = init.body ?? '';
  const req = await signer.sign(
    { method: init.method ?? 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 8080, path, query, headers: { host: '127.0.0.1:8080', ...init.headers }, body },
    { signingDate: NOW },
  );
  const qs = new URLSearchParams(query).toString().replace(/\+/g, '%20');
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: req.method, url: qs ? `${path}?${qs}` : path, headers, body: Buffer.from(body) };
}

async function rejection(req: SignedRequest, o: VerifyOptions = opts): Promise<AuthError> {
  try {
    await verifySigV4(req, o);
  } catch (err) {
    assert.ok(err instanceof AuthError, String(err));
    return err;
  }
  assert.fail('request was accepted');
}

describe('verifySigV4', () => {
  it('accepts a correctly signed request with a query and a body, and reports its region', async () => {
    const req = await signed({ method: 'POST', query: { MaxItems: '5', Marker: 'a b/ü' }, body: '{"CreationToken":"x"}' });
    assert.deepEqual(await verifySigV4(req, opts), { accessKeyId: KEY.accessKeyId, region: 'local-1' });
  });

  it('rejects a changed body, path or query parameter', async () => {
    const req = await signed({ method: 'POST', query: { MaxItems: '5' }, body: '{"a":1}' });
    assert.equal((await rejection({ ...req, body: Buffer.from('{"a":2}') })).code, 'InvalidSignatureException');
    assert.equal((await rejection({ ...req, url: req.url.replace('5', '6') })).code, 'InvalidSignatureException');
    assert.equal((await rejection({ ...req, url: req.url.replace('file-systems', 'file-system') })).code, 'InvalidSignatureException');
  });

  it('rejects a signed header whose value changed', async () => {
    const req = await signed({ headers: { 'x-amz-target': 'A.B' } });
    assert.equal((await rejection({ ...req, headers: { ...req.headers, 'x-amz-target': 'A.C' } })).code, 'InvalidSignatureException');
  });

  it('checks x-amz-content-sha256 against the body', async () => {
    const req = await signed({ method: 'POST', body: 'hello', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const err = await rejection(req);
    assert.equal(err.code, 'InvalidSignatureException');
    assert.match(err.message, /x-amz-content-sha256/);
  });

  it('answers a missing, malformed or incomplete Authorization header in AWS terms', async () => {
    const req = await signed();
    const without = { ...req, headers: { ...req.headers, authorization: undefined } };
    assert.deepEqual(pick(await rejection(without)), ['MissingAuthenticationTokenException', 403]);
    const garbage = { ...req, headers: { ...req.headers, authorization: 'Bearer abc' } };
    assert.deepEqual(pick(await rejection(garbage)), ['IncompleteSignatureException', 400]);
    const noSig = { ...req, headers: { ...req.headers, authorization: String(req.headers.authorization).replace(/, Signature=.*/, '') } };
    const err = await rejection(noSig);
    assert.deepEqual(pick(err), ['IncompleteSignatureException', 400]);
    assert.match(err.message, /requires 'Signature'/);
    const noDate = { ...req, headers: { ...req.headers, 'x-amz-date': undefined } };
    assert.deepEqual(pick(await rejection(noDate)), ['IncompleteSignatureException', 400]);
  });

  it('rejects a scope for another service, an unknown region and an unknown key', async () => {
    assert.match((await rejection(await signed({ service: 'fsx' }))).message, /scoped to correct service: 'elasticfilesystem'/);
    assert.match((await rejection(await signed({ region: 'us-east-1' }))).message, /valid region, not 'us-east-1'/);
    assert.deepEqual(pick(await rejection(await signed(), { ...opts, secretFor: () => undefined })), ['UnrecognizedClientException', 403]);
  });

  it('accepts 14 minutes of skew either way and rejects 16', async () => {
    const req = await signed();
    const at = (minutes: number): VerifyOptions => ({ ...opts, now: new Date(NOW.getTime() + minutes * 60_000) });
    await verifySigV4(req, at(14));
    await verifySigV4(req, at(-14));
    assert.match((await rejection(req, at(16))).message, /^Signature expired: 20260301T120000Z is now earlier than/);
    assert.match((await rejection(req, at(-16))).message, /^Signature not yet current/);
  });
});

function pick(err: AuthError): [string, number] {
  return [err.code, err.status];
}
