// NFSv3 numbers from RFC 1813.
export const NFS_PROGRAM = 100003;
export const NFS_V3 = 3;
export const NFS3_FHSIZE = 64;
export const NFS3_COOKIEVERFSIZE = 8;
export const NFS3_WRITEVERFSIZE = 8;
/** Largest READ/WRITE we advertise and accept (FSINFO rtmax/wtmax). */
export const NFS3_MAX_IO = 1024 * 1024;

export const Proc3 = {
  NULL: 0, GETATTR: 1, SETATTR: 2, LOOKUP: 3, ACCESS: 4, READLINK: 5, READ: 6, WRITE: 7, CREATE: 8, MKDIR: 9,
  SYMLINK: 10, MKNOD: 11, REMOVE: 12, RMDIR: 13, RENAME: 14, LINK: 15, READDIR: 16, READDIRPLUS: 17, FSSTAT: 18,
  FSINFO: 19, PATHCONF: 20, COMMIT: 21,
} as const;

export const Nfs3Status = {
  OK: 0, PERM: 1, NOENT: 2, IO: 5, NXIO: 6, ACCES: 13, EXIST: 17, XDEV: 18, NODEV: 19, NOTDIR: 20, ISDIR: 21,
  INVAL: 22, FBIG: 27, NOSPC: 28, ROFS: 30, MLINK: 31, NAMETOOLONG: 63, NOTEMPTY: 66, DQUOT: 69, STALE: 70,
  REMOTE: 71, BADHANDLE: 10001, NOT_SYNC: 10002, BAD_COOKIE: 10003, NOTSUPP: 10004, TOOSMALL: 10005,
  SERVERFAULT: 10006, BADTYPE: 10007, JUKEBOX: 10008,
} as const;
export type Nfs3Stat = (typeof Nfs3Status)[keyof typeof Nfs3Status];

export const Ftype3 = { REG: 1, DIR: 2, BLK: 3, CHR: 4, LNK: 5, SOCK: 6, FIFO: 7 } as const;

export const Access3 = { READ: 0x01, LOOKUP: 0x02, MODIFY: 0x04, EXTEND: 0x08, DELETE: 0x10, EXECUTE: 0x20 } as const;

export const StableHow = { UNSTABLE: 0, DATA_SYNC: 1, FILE_SYNC: 2 } as const;

export const CreateMode3 = { UNCHECKED: 0, GUARDED: 1, EXCLUSIVE: 2 } as const;

export const TimeHow = { DONT_CHANGE: 0, SET_TO_SERVER_TIME: 1, SET_TO_CLIENT_TIME: 2 } as const;

export const FsfProperties = { LINK: 0x01, SYMLINK: 0x02, HOMOGENEOUS: 0x08, CANSETTIME: 0x10 } as const;
