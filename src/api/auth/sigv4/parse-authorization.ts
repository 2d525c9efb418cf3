import { authErrors } from '../auth-error.ts';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export interface ParsedAuthorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Throws IncompleteSignatureException (400) with AWS's wording for every malformed header. */
export function parseAuthorization(header: string): ParsedAuthorization {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw authErrors.incomplete(`Unsupported AWS 'algorithm': '${algorithm}'. Only ${SIGV4_ALGORITHM} is supported.`);
  }
  const params = parseParams(space < 0 ? '' : trimmed.slice(space + 1));
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !params.has(name));
  if (missing.length > 0) {
    throw authErrors.incomplete(missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' '));
  }
  return {
    ...parseCredential(params.get('Credential') ?? ''),
    signedHeaders: parseSignedHeaders(params.get('SignedHeaders') ?? ''),
    signature: parseSignature(params.get('Signature') ?? ''),
  };
}

function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return params;
}

function parseCredential(credential: string): Omit<ParsedAuthorization, 'signedHeaders' | 'signature'> {
  const parts = credential.split('/');
  const [accessKeyId, scopeDate, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !/^\d{8}$/.test(scopeDate) || !region || !service) {
    throw authErrors.incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  if (terminator !== 'aws4_request') {
    throw authErrors.invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  return { accessKeyId, scopeDate, region, service };
}

function parseSignedHeaders(value: string): string[] {
  const names = value.split(';').map((name) => name.trim().toLowerCase());
  if (names.some((name) => name === '')) throw authErrors.incomplete(`Invalid SignedHeaders value: '${value}'.`);
  if (!names.includes('host') && !names.includes(':authority')) {
    throw authErrors.incomplete(`'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  return names;
}

function parseSignature(value: string): string {
  if (!/^[0-9a-f]{64}$/.test(value)) throw authErrors.incomplete('Signature must be 64 lower-case hexadecimal characters.');
  return value;
}
