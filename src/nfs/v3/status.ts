// The one place where engine errors become NFSv3 status codes.
import { isFsError, type Errno } from '../../engine/index.ts';
import { XdrError } from '../xdr/errors.ts';
import { Nfs3Status, type Nfs3Stat } from './constants.ts';

/** A protocol-level failure decided in the NFS layer (bad handle, read-only export, …). */
export class Nfs3Error extends Error {
  constructor(readonly status: Nfs3Stat, message?: string) {
    super(message ?? `NFS3 status ${status}`);
    this.name = 'Nfs3Error';
  }
}

const BY_ERRNO: Record<Errno, Nfs3Stat> = {
  EPERM: Nfs3Status.PERM,
  ENOENT: Nfs3Status.NOENT,
  EIO: Nfs3Status.IO,
  ENXIO: Nfs3Status.NXIO,
  EACCES: Nfs3Status.ACCES,
  EEXIST: Nfs3Status.EXIST,
  EXDEV: Nfs3Status.XDEV,
  ENODEV: Nfs3Status.NODEV,
  ENOTDIR: Nfs3Status.NOTDIR,
  EISDIR: Nfs3Status.ISDIR,
  EINVAL: Nfs3Status.INVAL,
  EFBIG: Nfs3Status.FBIG,
  ENOSPC: Nfs3Status.NOSPC,
  EROFS: Nfs3Status.ROFS,
  EMLINK: Nfs3Status.MLINK,
  ENAMETOOLONG: Nfs3Status.NAMETOOLONG,
  ENOTEMPTY: Nfs3Status.NOTEMPTY,
  EDQUOT: Nfs3Status.DQUOT,
  ESTALE: Nfs3Status.STALE,
  ENODATA: Nfs3Status.NOENT,
  ERANGE: Nfs3Status.INVAL,
  ENOTSUP: Nfs3Status.NOTSUPP,
  E2BIG: Nfs3Status.INVAL,
  // NFSv3 has no ELOOP; Linux nfsd answers symlink loops the same way.
  ELOOP: Nfs3Status.INVAL,
  EBADF: Nfs3Status.BADHANDLE,
};

/** Status for anything a procedure threw; undefined for errors that are not NFS outcomes (→ rethrow). */
export function statusOf(e: unknown): Nfs3Stat | undefined {
  if (e instanceof Nfs3Error) return e.status;
  if (isFsError(e)) return BY_ERRNO[e.code] ?? Nfs3Status.IO;
  if (e instanceof XdrError) return undefined;
  return Nfs3Status.SERVERFAULT;
}
