// component4 validation (RFC 8881 §14.5): what a file name may be on the wire.
import { NAME_MAX } from '../../engine/index.ts';
import type { XdrReader } from '../xdr/reader.ts';
import { Status } from './constants.ts';
import { fail } from './status.ts';

/** Reads a component4 and rejects empty, too long, '.', '..', or names with '/' or NUL, or invalid UTF-8. */
export function readComponent(r: XdrReader): string {
  const raw = r.opaque(4096);
  if (raw.length === 0) fail(Status.INVAL, 'empty name');
  if (raw.length > NAME_MAX) fail(Status.NAMETOOLONG);
  const name = raw.toString('utf8');
  if (!Buffer.from(name, 'utf8').equals(raw)) fail(Status.INVAL, 'name is not UTF-8');
  if (name === '.' || name === '..') fail(Status.BADNAME);
  if (name.includes('/') || name.includes('\0')) fail(Status.BADCHAR);
  return name;
}
