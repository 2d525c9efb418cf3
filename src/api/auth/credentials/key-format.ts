import { randomBytes, randomInt } from 'node:crypto';

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Unbiased random string: each character from randomInt, never a modulo of a random byte. */
function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** An AWS-style long-term access key id: `AKIA` + 16 base32 characters (20 upper-case characters). */
export function newAccessKeyId(): string {
  return 'AKIA' + randomString(KEY_ID_ALPHABET, 16);
}

/** A 40-character secret, 240 bits of entropy, in AWS's alphabet. */
export function newSecretAccessKey(): string {
  return randomString(SECRET_ALPHABET, 40);
}

/** A 12-digit account id that does not start with 0 (some tools strip leading zeros). */
export function newAccountId(): string {
  const n = randomBytes(8).readBigUInt64BE() % 900_000_000_000n;
  return (100_000_000_000n + n).toString();
}

export const ACCESS_KEY_ID_PATTERN = /^[A-Z0-9]{16,128}$/;
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
