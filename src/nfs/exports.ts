// The contract between whoever decides what is exported (configuration, or the service layer's mount
// targets and access points) and the NFS servers. NFS code asks this table; it never reads service state.
import type { Caller, InodeNumber, Volume } from '../engine/index.ts';

/** A client address range, e.g. { address: '127.0.0.0', prefix: 8 } (IPv4) or '::1'/128. */
export interface AddressRange {
  address: string;
  prefix: number;
}

export interface ExportRules {
  /** No write of any kind (EROFS / NFS4ERR_ROFS). */
  readOnly: boolean;
  /** uid 0 becomes anonUid/anonGid. */
  rootSquash: boolean;
  anonUid: number;
  anonGid: number;
  /** Mounts (MOUNT MNT, and v4 LOOKUP into the export from the pseudo root) are refused. */
  mountRefused: boolean;
  /** Empty means every client may connect; otherwise the client address must fall in one range. */
  allowedClients: readonly AddressRange[];
  /** Access points: every request runs as this identity, whatever the client sent. */
  forcedIdentity?: Caller;
}

export interface Export {
  /** Stable small id, carried in file handles (e.g. an index into a table that never reuses ids). */
  id: number;
  /** Path in the pseudo file system, e.g. '/fs-0123456789abcdef0' or '/fsap-0123456789abcdef0'. */
  path: string;
  volume: Volume;
  /** The export's root inode (an access point's RootDirectory); ROOT_INODE for a whole file system. */
  root: InodeNumber;
  /** NFS fsid: distinct per volume, stable across restarts. */
  fsid: bigint;
  rules: ExportRules;
}

export interface ExportLookupContext {
  clientAddress: string;
  /** Address of the listener the request arrived on (a subnet's listener only serves its mount targets). */
  localAddress: string;
}

export interface ExportTable {
  /** Exports visible to this client on this listener (the v4 pseudo root lists these paths). */
  list(ctx: ExportLookupContext): Export[];
  byPath(path: string, ctx: ExportLookupContext): Export | undefined;
  byId(id: number, ctx: ExportLookupContext): Export | undefined;
}

/** An export table from a fixed list: configuration, tests, and benchmarks. */
export class StaticExportTable implements ExportTable {
  constructor(private readonly exports: readonly Export[]) {}
  list(): Export[] {
    return [...this.exports];
  }
  byPath(path: string): Export | undefined {
    return this.exports.find((e) => e.path === path);
  }
  byId(id: number): Export | undefined {
    return this.exports.find((e) => e.id === id);
  }
}

export const DEFAULT_RULES: ExportRules = Object.freeze({
  readOnly: false,
  rootSquash: false,
  anonUid: 65534,
  anonGid: 65534,
  mountRefused: false,
  allowedClients: [],
});
