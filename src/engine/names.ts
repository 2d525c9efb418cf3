import { FsError, NAME_MAX } from './types.ts';

/** A name that may be created or renamed to: 1..255 bytes of UTF-8, no '/', no NUL, not '.' or '..'. */
export function checkNewName(name: string): void {
  checkName(name);
  if (name === '.' || name === '..') throw new FsError('EINVAL', `'${name}' cannot be created`);
}

/** A name that may be looked up. */
export function checkName(name: string): void {
  if (name.length === 0) throw new FsError('EINVAL', 'empty name');
  if (Buffer.byteLength(name, 'utf8') > NAME_MAX) throw new FsError('ENAMETOOLONG', `name longer than ${NAME_MAX} bytes`);
  if (name.includes('/') || name.includes('\0')) throw new FsError('EINVAL', "name contains '/' or NUL");
}
