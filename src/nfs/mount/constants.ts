// MOUNT v3 numbers (RFC 1813 appendix I).
export const MOUNT_PROGRAM = 100005;
export const MOUNT_V3 = 3;
export const MNTPATHLEN = 1024;

export const MountProc = { NULL: 0, MNT: 1, DUMP: 2, UMNT: 3, UMNTALL: 4, EXPORT: 5 } as const;

export const MountStatus = {
  OK: 0, PERM: 1, NOENT: 2, IO: 5, ACCES: 13, NOTDIR: 20, INVAL: 22, NAMETOOLONG: 63, NOTSUPP: 10004,
  SERVERFAULT: 10006,
} as const;
