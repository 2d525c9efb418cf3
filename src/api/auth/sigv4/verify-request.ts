import { createHash, timingSafeEqual } from 'node:crypto';
import { authErrors } from '../auth-error.ts';
import type { SignedRequest } from '../principal.ts';
import { checkClockSkew, parseAmzDate } from './amz-date.ts';
import { headerValue } from './canonical-request-parts.ts';
import { computeSignature } from './compute-signature.ts';
import { parseAuthorization, type ParsedAuthorization } from './parse-authorization.ts';

export interface VerifyOptions {
  service: string;
  knownRegions: readonly string[];
  now: Date;
  /** The secret of an active key, or undefined when the key is unknown or inactive. */
  secretFor: (accessKeyId: string) => string | undefined;
}

export interface VerifiedSignature {
  accessKeyId: string;
  region: string;
}

/**
 * Checks a header-form SigV4 request in the order AWS reports problems: presence, syntax, scope,
 * key, clock, payload hash, then the signature itself (compared in constant time).
 */
export async function verifySigV4(req: SignedRequest, opts: VerifyOptions): Promise<VerifiedSignature> {
  const authorization = headerValue(req.headers, 'authorization');
  if (authorization === undefined || authorization.trim() === '') throw authErrors.missingToken();
  const auth = parseAuthorization(authorization);
  const signedAt = readSigningDate(req, auth);
  checkScope(auth, opts);
  const secret = opts.secretFor(auth.accessKeyId);
  if (secret === undefined) throw authErrors.unrecognizedClient();
  checkClockSkew(signedAt, opts.now);
  checkPayloadHash(req);
  const computed = await computeSignature(req, auth, secret, signedAt);
  if (computed.signedHeaders !== auth.signedHeaders.join(';') || !sameHex(computed.signature, auth.signature)) {
    throw authErrors.signatureMismatch();
  }
  return { accessKeyId: auth.accessKeyId, region: auth.region };
}

function readSigningDate(req: SignedRequest, auth: ParsedAuthorization): Date {
  const amzDate = headerValue(req.headers, 'x-amz-date');
  if (amzDate === undefined) {
    throw authErrors.incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const signedAt = parseAmzDate(amzDate);
  const day = amzDate.trim().slice(0, 8);
  if (day !== auth.scopeDate) {
    throw authErrors.invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${day}', from '${amzDate.trim()}'.`,
    );
  }
  return signedAt;
}

function checkScope(auth: ParsedAuthorization, opts: VerifyOptions): void {
  if (auth.service !== opts.service) {
    throw authErrors.invalidSignature(`Credential should be scoped to correct service: '${opts.service}'.`);
  }
  if (!opts.knownRegions.includes(auth.region)) {
    throw authErrors.invalidSignature(
      `Credential should be scoped to a valid region, not '${auth.region}'. This endpoint serves: ${opts.knownRegions.join(', ')}.`,
    );
  }
}

/** A signed x-amz-content-sha256 only proves the header; make sure it also describes the body we got. */
function checkPayloadHash(req: SignedRequest): void {
  const declared = headerValue(req.headers, 'x-amz-content-sha256');
  if (declared === undefined) return;
  const actual = createHash('sha256').update(req.body).digest('hex');
  if (declared.trim().toLowerCase() !== actual) {
    throw authErrors.invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
