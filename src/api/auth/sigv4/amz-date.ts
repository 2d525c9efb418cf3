import { authErrors } from '../auth-error.ts';

/** AWS accepts a request whose X-Amz-Date is within this distance of the server's clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Parses the ISO 8601 basic format `YYYYMMDDTHHMMSSZ` that SigV4 signs. */
export function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (!m) throw authErrors.incomplete(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== d) {
    throw authErrors.incomplete(`Date must be in ISO-8601 'basic format'. Got '${value}'.`);
  }
  return date;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Rejects a request signed more than 15 minutes before or after `now`, in AWS's words. */
export function checkClockSkew(signedAt: Date, now: Date): void {
  const earliest = new Date(now.getTime() - MAX_CLOCK_SKEW_MS);
  const latest = new Date(now.getTime() + MAX_CLOCK_SKEW_MS);
  if (signedAt < earliest) {
    throw authErrors.invalidSignature(
      `Signature expired: ${formatAmzDate(signedAt)} is now earlier than ${formatAmzDate(earliest)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (signedAt > latest) {
    throw authErrors.invalidSignature(
      `Signature not yet current: ${formatAmzDate(signedAt)} is still later than ${formatAmzDate(latest)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
}
