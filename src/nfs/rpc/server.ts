// The ONC RPC TCP listener: accepts connections on one or more addresses and hands each to an RpcConnection.
import net from 'node:net';
import { pino, type Logger } from 'pino';
import { RpcConnection } from './connection.ts';
import { DEFAULT_IDLE_POLL_MICROS, IdlePoller } from './idle-poll.ts';
import type { ConnectionInfo, RpcProgram } from './types.ts';

/** 1 MiB WRITE plus generous room for headers, compounds and fragmenting clients. */
export const DEFAULT_MAX_RECORD_BYTES = 4 * 1024 * 1024 + 64 * 1024;
export const DEFAULT_MAX_IN_FLIGHT = 64;

export interface RpcServerOptions {
  programs: RpcProgram[];
  maxRecordBytes?: number;
  maxInFlightPerConnection?: number;
  /** Default DEFAULT_IDLE_POLL_MICROS; 0 turns polling off. */
  idlePollMicros?: number;
  logger?: Logger;
  /** Told of a reply's body parts once the socket no longer needs them (see RpcConnection). */
  bodyDone?: (parts: readonly Buffer[]) => void;
  onConnect?: (conn: ConnectionInfo) => void;
  onDisconnect?: (conn: ConnectionInfo) => void;
}

export class RpcServer {
  onConnect?: (conn: ConnectionInfo) => void;
  onDisconnect?: (conn: ConnectionInfo) => void;

  private readonly programs = new Map<number, RpcProgram>();
  private readonly connections = new Set<RpcConnection>();
  private readonly logger: Logger;
  private readonly servers: net.Server[] = [];
  private readonly poller: IdlePoller;
  private nextConnId = 1;

  constructor(private readonly opts: RpcServerOptions) {
    for (const p of opts.programs) this.addProgram(p);
    this.logger = opts.logger ?? pino({ level: 'silent' });
    this.poller = new IdlePoller((opts.idlePollMicros ?? DEFAULT_IDLE_POLL_MICROS) * 1000);
    this.onConnect = opts.onConnect;
    this.onDisconnect = opts.onDisconnect;
  }

  /** Adds a program, or more versions to one already registered. */
  addProgram(p: RpcProgram): void {
    const existing = this.programs.get(p.prog);
    if (!existing) {
      this.programs.set(p.prog, { prog: p.prog, versions: new Map(p.versions) });
      return;
    }
    for (const [v, h] of p.versions) existing.versions.set(v, h);
  }

  /** Listens on one more address (every address serves the same programs and state). */
  listen(host: string, port: number): Promise<{ host: string; port: number }> {
    const server = net.createServer((socket) => this.accept(socket));
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        const addr = server.address() as net.AddressInfo;
        resolve({ host: addr.address, port: addr.port });
      });
    });
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => {
      if (!s.listening) return resolve();
      s.close(() => resolve());
    })));
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    const info: ConnectionInfo = {
      id: this.nextConnId++,
      clientAddress: socket.remoteAddress ?? '',
      clientPort: socket.remotePort ?? 0,
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
    };
    const conn = new RpcConnection(socket, info, {
      programs: this.programs,
      maxRecordBytes: this.opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
      maxInFlight: this.opts.maxInFlightPerConnection ?? DEFAULT_MAX_IN_FLIGHT,
      logger: this.logger,
      poller: this.poller,
      bodyDone: this.opts.bodyDone,
    });
    this.connections.add(conn);
    socket.on('error', (err) => this.logger.debug({ err, conn: info.id }, 'RPC socket error'));
    socket.on('close', () => {
      this.connections.delete(conn);
      conn.close();
      this.onDisconnect?.(info);
    });
    this.onConnect?.(info);
  }
}
