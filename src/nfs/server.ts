// The NFS server: TCP listeners serving NFSv3, MOUNT v3 and NFSv4 (program 100003 versions 3 and 4) on the same port.
// Several listening addresses (one per subnet) are one server: one NFSv4 client state, one file handle key.
import { pino, type Logger } from 'pino';
import type { ExportTable } from './exports.ts';
import { RpcServer } from './rpc/server.ts';
import type { RpcVersionHandler } from './rpc/types.ts';
import { NFS_PROGRAM, NFS_V3 } from './v3/constants.ts';
import { nfsV3Handler } from './v3/program.ts';
import { MOUNT_PROGRAM, MOUNT_V3 } from './mount/constants.ts';
import { mountV3Handler } from './mount/program.ts';
import { MountTable } from './mount/mount-table.ts';
import { createNfs4Handler } from './v4/program.ts';
import { HandleCodec, loadHandleKey } from './filehandle.ts';
import { releaseBlockView } from '../engine/index.ts';

export interface NfsServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 2049; 0 picks a free port. */
  port?: number;
  /** More addresses served by the same server (subnets with their own listener). */
  moreListeners?: ReadonlyArray<{ host: string; port: number }>;
  exports: ExportTable;
  logger?: Logger;
  maxRecordBytes?: number;
  /** See RpcServerOptions. */
  idlePollMicros?: number;
  /** Where protocol state that must survive restarts lives (NFSv4 client records, the file handle key). */
  stateDir?: string;
}

export interface NfsServer {
  /** The first listener. */
  host: string;
  port: number;
  /** Every listener, the first one first. */
  addresses: Array<{ host: string; port: number }>;
  close(): Promise<void>;
}

export async function startNfsServer(opts: NfsServerOptions): Promise<NfsServer> {
  const logger = opts.logger ?? pino({ level: 'silent' });
  const handles = new HandleCodec(loadHandleKey(opts.stateDir));
  const nfsVersions = new Map<number, RpcVersionHandler>([[NFS_V3, nfsV3Handler({ exports: opts.exports, logger, handles })]]);
  nfsVersions.set(4, createNfs4Handler({ exports: opts.exports, logger, stateDir: opts.stateDir, handles }));
  const rpc = new RpcServer({
    programs: [
      { prog: NFS_PROGRAM, versions: nfsVersions },
      { prog: MOUNT_PROGRAM, versions: new Map([[MOUNT_V3, mountV3Handler({ exports: opts.exports, mounts: new MountTable(), logger, handles })]]) },
    ],
    maxRecordBytes: opts.maxRecordBytes,
    idlePollMicros: opts.idlePollMicros,
    logger,
    // READ replies reference block memory (engine/blocks/hash-pool.ts): sent, it can serve the next read.
    bodyDone: (parts) => {
      for (const p of parts) releaseBlockView(p);
    },
    onConnect: (c) => logger.info({ conn: c.id, client: `${c.clientAddress}:${c.clientPort}` }, 'NFS client connected'),
    onDisconnect: (c) => logger.debug({ conn: c.id }, 'NFS client disconnected'),
  });
  const addresses: Array<{ host: string; port: number }> = [];
  try {
    for (const l of [{ host: opts.host ?? '127.0.0.1', port: opts.port ?? 2049 }, ...(opts.moreListeners ?? [])]) {
      addresses.push(await rpc.listen(l.host, l.port));
    }
  } catch (e) {
    await rpc.close();
    throw e;
  }
  return { host: addresses[0].host, port: addresses[0].port, addresses, close: () => rpc.close() };
}
