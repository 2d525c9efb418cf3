// The one place engine errors become NFSv4 statuses; ops throw Nfs4Error for protocol-level failures.
import { isFsError, type Errno } from '../../engine/index.ts';
import { XdrError } from '../xdr/errors.ts';
import { Status } from './constants.ts';

/** A protocol status raised by an operation; the COMPOUND loop turns it into the op's result. */
export class Nfs4Error extends Error {
  constructor(readonly status: number, message?: string) {
    super(message ?? `NFS4 status ${status}`);
    this.name = 'Nfs4Error';
  }
}

const BY_ERRNO: Record<Errno, number> = {
  EPERM: Status.PERM, ENOENT: Status.NOENT, EIO: Status.IO, ENXIO: Status.NXIO, EACCES: Status.ACCESS,
  EEXIST: Status.EXIST, EXDEV: Status.XDEV, ENODEV: Status.NXIO, ENOTDIR: Status.NOTDIR,
  EISDIR: Status.ISDIR, EINVAL: Status.INVAL, EFBIG: Status.FBIG, ENOSPC: Status.NOSPC,
  EROFS: Status.ROFS, EMLINK: Status.MLINK, ENAMETOOLONG: Status.NAMETOOLONG,
  ENOTEMPTY: Status.NOTEMPTY, EDQUOT: Status.DQUOT, ESTALE: Status.STALE, ENODATA: Status.NOENT,
  ERANGE: Status.INVAL, ENOTSUP: Status.NOTSUPP, E2BIG: Status.FBIG, ELOOP: Status.SYMLINK,
  EBADF: Status.BAD_STATEID,
};

/** Maps anything an op threw to a status; unknown failures are SERVERFAULT (and worth a log line). */
export function statusOf(e: unknown): { status: number; unexpected: boolean } {
  if (e instanceof Nfs4Error) return { status: e.status, unexpected: false };
  if (isFsError(e)) return { status: BY_ERRNO[e.code] ?? Status.IO, unexpected: false };
  if (e instanceof XdrError) return { status: Status.BADXDR, unexpected: false };
  return { status: Status.SERVERFAULT, unexpected: true };
}

export function fail(status: number, message?: string): never {
  throw new Nfs4Error(status, message);
}
