// Opaque page tokens over an ascending integer sequence (rowid). Base64 so FSx's NextToken pattern accepts them.
import { ServiceError } from './errors.ts';

export interface Page<T> {
  items: T[];
  next?: string;
}

export function encodeToken(seq: number): string {
  return Buffer.from(`p1:${seq}`).toString('base64');
}

/** The sequence number to start after; 0 for no token. A token we did not issue is BadRequest. */
export function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const m = /^p1:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!m) throw new ServiceError('BadRequest', 'The pagination token is invalid.');
  return Number(m[1]);
}

/** rows were fetched with LIMIT max+1: the extra row tells whether another page exists. */
export function toPage<R extends { seq: number }, T>(rows: R[], max: number, map: (r: R) => T): Page<T> {
  const more = rows.length > max;
  const pageRows = more ? rows.slice(0, max) : rows;
  return { items: pageRows.map(map), next: more ? encodeToken(pageRows[pageRows.length - 1].seq) : undefined };
}

export const DEFAULT_PAGE_SIZE = 100;
/** Larger requested pages are cut here (a shorter page with a token is always a legal answer). */
export const MAX_PAGE_SIZE = 1000;

export function pageSize(requested: number | undefined): number {
  return Math.min(requested ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
}
