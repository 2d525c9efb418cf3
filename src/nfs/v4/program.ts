// The NFSv4 RPC version handler (program 100003, version 4): NULL and COMPOUND for minor versions 0-2.
import type { Logger } from 'pino';
import type { ExportTable } from '../exports.ts';
import type { RpcVersionHandler } from '../rpc/types.ts';
import type { ServerContext } from './compound.ts';
import { runCompound } from './compound-loop.ts';
import { Nfs4State } from './state/nfs4-state.ts';
import { HandleCodec, loadHandleKey } from '../filehandle.ts';

export interface Nfs4Options {
  exports: ExportTable;
  /** Where client records are kept so clients can reclaim after a restart. */
  stateDir?: string;
  logger?: Logger;
  /** Default 60 s; tests use a short lease. */
  leaseSeconds?: number;
  /** Default 90 s (longer than one lease, as RFC 8881 §8.4.2.1 requires); ends early when all clients reclaimed. */
  graceSeconds?: number;
  /** File handle codec shared with NFSv3 on the same listener; default: the key kept in stateDir. */
  handles?: HandleCodec;
}

const PROC_NULL = 0;
const PROC_COMPOUND = 1;

export interface Nfs4Handler extends RpcVersionHandler {
  /** Stops the lease timer (the server calls it on close; the timer is unref'd either way). */
  close(): void;
  readonly state: Nfs4State;
}

export function createNfs4Handler(opts: Nfs4Options): Nfs4Handler {
  const state = new Nfs4State({
    stateDir: opts.stateDir,
    leaseSeconds: opts.leaseSeconds ?? 60,
    graceSeconds: opts.graceSeconds ?? 90,
    logger: opts.logger,
    onOpenDropped: (open) => {
      open.node.exp.volume.release(open.node.ino).catch((e: unknown) => opts.logger?.warn({ err: e }, 'release failed'));
    },
  });
  const handles = opts.handles ?? new HandleCodec(loadHandleKey(opts.stateDir));
  const server: ServerContext = { exports: opts.exports, handles, state, logger: opts.logger, bootTime: Date.now() };
  const handler = (async (call) => {
    if (call.proc === PROC_NULL) return { kind: 'success', body: Buffer.alloc(0) };
    if (call.proc === PROC_COMPOUND) return runCompound(server, call);
    return { kind: 'proc_unavail' };
  }) as Nfs4Handler;
  handler.close = () => state.close();
  Object.defineProperty(handler, 'state', { value: state });
  return handler;
}
