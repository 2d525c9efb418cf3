import { SignatureV4 } from '@smithy/signature-v4';
import type { SignedRequest } from '../principal.ts';
import { headerValue, splitUrl } from './canonical-request-parts.ts';
import { NodeSha256 } from './node-sha256.ts';
import type { ParsedAuthorization } from './parse-authorization.ts';

export interface ComputedSignature {
  signature: string;
  signedHeaders: string;
}

/**
 * Re-signs the request with the secret we hold, over exactly the headers the client says it signed,
 * with smithy's SigV4 (the same canonicalisation the AWS SDKs use). The payload hash is the
 * x-amz-content-sha256 header when signed, else the SHA-256 of the raw body.
 */
export async function computeSignature(
  req: SignedRequest,
  auth: ParsedAuthorization,
  secretAccessKey: string,
  signingDate: Date,
): Promise<ComputedSignature> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: NodeSha256,
    applyChecksum: false, // never add a header the client did not sign
  });
  const { path, query } = splitUrl(req.url);
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) headers[name] = headerValue(req.headers, name) ?? '';
  const host = headers.host ?? '';
  const signed = await signer.sign(
    { method: req.method.toUpperCase(), protocol: 'http:', hostname: host, path, query, headers, body: req.body },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  return parseOwnAuthorization(signed.headers.authorization ?? '');
}

function parseOwnAuthorization(header: string): ComputedSignature {
  const signature = /Signature=([0-9a-f]+)/.exec(header)?.[1] ?? '';
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(header)?.[1] ?? '';
  return { signature, signedHeaders };
}
