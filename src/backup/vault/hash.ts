import { createHash } from 'node:crypto';

/** The vault's blob key: SHA-256 of the bytes, lower-case hex. */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
