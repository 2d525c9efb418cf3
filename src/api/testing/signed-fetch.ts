// Sends arbitrary (even malformed) requests signed with SigV4, to test what clients cannot send.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export async function signedFetch(server: { url: string; credentials: { accessKeyId: string; secretAccessKey: string } },
  opts: { method: string; path: string; body?: string; headers?: Record<string, string>; service: 'elasticfilesystem' | 'fsx'; region?: string }): Promise<Response> {
  const url = new URL(opts.path, server.url);
  const signer = new SignatureV4({ service: opts.service, region: opts.region ?? 'local-1', credentials: server.credentials, sha256: Sha256 });
  const query: Record<string, string> = {};
  url.searchParams.forEach((v, k) => {
    query[k] = v;
  });
  const signed = await signer.sign({
    method: opts.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query,
    headers: { host: url.host, ...(opts.headers ?? {}) }, body: opts.body,
  });
  return fetch(url, { method: opts.method, headers: signed.headers, body: opts.body });
}
