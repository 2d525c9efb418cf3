// One client TCP connection: decodes records, runs calls concurrently, writes replies in completion order.
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { requestFinished, requestStarted } from '../../engine/index.ts';
import { XdrError } from '../xdr/errors.ts';
import { AcceptStat } from './constants.ts';
import { decodeCall, encodeAccepted, encodeDenied } from './message.ts';
import { RecordDecoder, RecordTooLargeError, recordMark } from './record-marking.ts';
import type { XdrWriter } from '../xdr/writer.ts';
import type { IdlePoller } from './idle-poll.ts';
import type { CallHeader, ConnectionInfo, RpcProgram, RpcResult, RpcVersionHandler } from './types.ts';
import type { XdrReader } from '../xdr/reader.ts';

/** Replies up to this size are sent as one buffer (a copy); larger ones (READ data) as the parts they are. */
const SINGLE_WRITE_MAX = 16 * 1024;

export interface ConnectionOptions {
  programs: ReadonlyMap<number, RpcProgram>;
  maxRecordBytes: number;
  /** Stop reading the socket while this many calls are running (backpressure). */
  maxInFlight: number;
  logger: Logger;
  /** Shared by the server's connections: polls for the next call after the last reply. */
  poller: IdlePoller;
  /** Told of a reply's body parts once the socket no longer needs them (copied, sent, or never to be sent). */
  bodyDone?: (parts: readonly Buffer[]) => void;
}

export class RpcConnection {
  private readonly decoder: RecordDecoder;
  private inFlight = 0;
  private closed = false;
  private readPaused = false;

  constructor(
    private readonly socket: Socket,
    readonly info: ConnectionInfo,
    private readonly opts: ConnectionOptions,
  ) {
    this.decoder = new RecordDecoder(opts.maxRecordBytes);
    socket.on('data', (chunk: Buffer) => {
      this.decoder.push(chunk);
      this.pump();
    });
    socket.on('drain', () => this.pump());
  }

  /** Starts as many buffered calls as backpressure allows. */
  private pump(): void {
    while (!this.closed && this.canStart()) {
      let record: Buffer[] | undefined;
      try {
        record = this.decoder.next();
      } catch (e) {
        this.refuse(e);
        return;
      }
      if (!record) break;
      this.dispatch(record);
    }
    this.updateReading();
  }

  private canStart(): boolean {
    return this.inFlight < this.opts.maxInFlight && !this.socket.writableNeedDrain;
  }

  private updateReading(): void {
    if (this.closed) return;
    const pause = !this.canStart();
    if (pause && !this.readPaused) this.socket.pause();
    if (!pause && this.readPaused) this.socket.resume();
    this.readPaused = pause;
  }

  private refuse(e: unknown): void {
    if (e instanceof RecordTooLargeError) {
      this.opts.logger.warn({ conn: this.info.id, client: this.info.clientAddress, size: e.size, max: e.max },
        'RPC record too large; closing connection');
    } else {
      this.opts.logger.error({ err: e, conn: this.info.id }, 'RPC framing failure; closing connection');
    }
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  private dispatch(record: readonly Buffer[]): void {
    const decoded = decodeCall(record);
    if (decoded.kind === 'ignore') return;
    if (decoded.kind === 'reject') {
      this.send(encodeDenied(decoded.xid, decoded.reply));
      return;
    }
    this.inFlight++;
    requestStarted();
    this.opts.poller.started();
    void this.run(decoded.header, decoded.args);
  }

  /** Answers one call. Never rejects: a handler that throws is answered (invoke); any other failure is logged. */
  private async run(h: CallHeader, args: XdrReader): Promise<void> {
    try {
      const program = this.opts.programs.get(h.prog);
      const handler = program?.versions.get(h.vers);
      if (handler) this.sendResult(h.xid, await this.invoke(handler, h, args));
      else if (program) this.sendMismatch(h.xid, program);
      else this.send(encodeAccepted(h.xid, AcceptStat.PROG_UNAVAIL));
    } catch (err) {
      this.opts.logger.error({ err, conn: this.info.id }, 'RPC dispatch failed');
    } finally {
      requestFinished();
      this.inFlight--;
      this.pump();
      this.opts.poller.finished();
    }
  }

  private sendMismatch(xid: number, program: RpcProgram): void {
    const versions = [...program.versions.keys()];
    this.send(encodeAccepted(xid, AcceptStat.PROG_MISMATCH, { low: Math.min(...versions), high: Math.max(...versions) }));
  }

  private async invoke(handler: RpcVersionHandler, h: CallHeader, args: XdrReader): Promise<RpcResult> {
    try {
      return await handler({
        xid: h.xid, prog: h.prog, vers: h.vers, proc: h.proc, flavor: h.flavor, authSys: h.authSys, args, conn: this.info,
      });
    } catch (err) {
      if (err instanceof XdrError) return { kind: 'garbage_args' };
      this.opts.logger.error({ err, prog: h.prog, vers: h.vers, proc: h.proc }, 'RPC handler threw');
      return { kind: 'system_err' };
    }
  }

  private sendResult(xid: number, result: RpcResult): void {
    switch (result.kind) {
      case 'success':
        this.send(encodeAccepted(xid, AcceptStat.SUCCESS), result.body);
        return;
      case 'garbage_args':
        this.send(encodeAccepted(xid, AcceptStat.GARBAGE_ARGS));
        return;
      case 'proc_unavail':
        this.send(encodeAccepted(xid, AcceptStat.PROC_UNAVAIL));
        return;
      case 'system_err':
        this.send(encodeAccepted(xid, AcceptStat.SYSTEM_ERR));
        return;
      case 'auth_error':
        this.send(encodeDenied(xid, { kind: 'auth_error', stat: result.stat }));
        return;
      case 'drop':
        return;
    }
  }

  /**
   * One reply = header (+ body parts) written synchronously, so replies never interleave. A small reply is copied
   * into one buffer and written once: each extra write costs a pass through the stream machinery and a writev.
   */
  private send(header: XdrWriter, body?: Buffer | readonly Buffer[]): void {
    const parts = body === undefined ? [] : Buffer.isBuffer(body) ? [body] : body;
    if (this.closed || this.socket.destroyed) {
      this.bodyDone(parts);
      return;
    }
    const bodyLength = parts.reduce((n, p) => n + p.length, 0);
    header.patchU32(0, recordMark(header.length - 4 + bodyLength));
    const head = header.finish();
    if (bodyLength === 0) {
      this.socket.write(head);
      return;
    }
    if (bodyLength <= SINGLE_WRITE_MAX) {
      this.socket.write(Buffer.concat([head, ...parts], head.length + bodyLength));
      this.bodyDone(parts);
      return;
    }
    this.socket.cork();
    this.socket.write(head);
    const last = parts.findLastIndex((p) => p.length > 0);
    // Writes complete in order: once the last part is written (or the socket failed), none is needed any more.
    parts.forEach((p, i) => {
      if (i === last) this.socket.write(p, () => this.bodyDone(parts));
      else if (p.length > 0) this.socket.write(p);
    });
    this.socket.uncork();
  }

  private bodyDone(parts: readonly Buffer[]): void {
    if (parts.length > 0) this.opts.bodyDone?.(parts);
  }
}
