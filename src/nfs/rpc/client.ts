// A minimal ONC RPC TCP client: the project's own client for protocol tests and tools. Many calls may be
// outstanding; replies are matched by xid.
import net from 'node:net';
import { XdrReader } from '../xdr/reader.ts';
import { XdrWriter } from '../xdr/writer.ts';
import { encodeAuthSys } from './auth-sys.ts';
import { AuthFlavor, MsgType, ReplyStat } from './constants.ts';
import { RecordDecoder, recordMark } from './record-marking.ts';
import type { AuthSys } from './types.ts';

export type RpcReply =
  | { kind: 'accepted'; xid: number; stat: number; body: XdrReader; mismatch?: { low: number; high: number } }
  | { kind: 'denied'; xid: number; rejectStat: number; detail: number[] };

export interface CallOptions {
  /** Defaults to AUTH_SYS root on 'fathom-test'. Pass null for AUTH_NONE. */
  auth?: AuthSys | null;
  /** Raw credential flavor/body, overriding auth (for malformed-credential tests). */
  rawCred?: { flavor: number; body: Buffer };
  rpcVersion?: number;
}

export const ROOT_AUTH: AuthSys = { stamp: 0, machine: 'fathom-test', uid: 0, gid: 0, gids: [] };

export class RpcClient {
  private nextXid = 1;
  private readonly waiting = new Map<number, { resolve: (r: RpcReply) => void; reject: (e: Error) => void }>();
  private readonly decoder = new RecordDecoder(64 * 1024 * 1024);
  private closedError: Error | undefined;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.decoder.push(chunk);
      for (let rec = this.decoder.next(); rec; rec = this.decoder.next()) this.onReply(Buffer.concat(rec));
    });
    socket.on('close', () => this.failAll(new Error('connection closed')));
    socket.on('error', (e) => this.failAll(e));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RpcClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host, () => {
        s.off('error', reject);
        resolve(new RpcClient(s));
      });
      s.once('error', reject);
    });
  }

  /** Resolves when the server closes the connection. */
  closed(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  close(): void {
    this.socket.destroy();
  }

  call(prog: number, vers: number, proc: number, args: Buffer = Buffer.alloc(0), opts: CallOptions = {}): Promise<RpcReply> {
    const xid = this.nextXid++;
    const record = encodeCallRecord(xid, prog, vers, proc, args, opts);
    return this.send(xid, record);
  }

  /** Sends arbitrary bytes on the connection (already framed by the caller). */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends a framed record and waits for the reply with the given xid. */
  send(xid: number, framed: Buffer): Promise<RpcReply> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.waiting.set(xid, { resolve, reject });
      this.socket.write(framed);
    });
  }

  private onReply(rec: Buffer): void {
    const reply = decodeReply(rec);
    const w = this.waiting.get(reply.xid);
    if (!w) return;
    this.waiting.delete(reply.xid);
    w.resolve(reply);
  }

  private failAll(e: Error): void {
    this.closedError ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}

/** The call message, framed as one record. */
export function encodeCallRecord(xid: number, prog: number, vers: number, proc: number, args: Buffer, opts: CallOptions = {}): Buffer {
  const w = new XdrWriter(64 + args.length);
  w.reserveU32();
  w.u32(xid);
  w.u32(MsgType.CALL);
  w.u32(opts.rpcVersion ?? 2);
  w.u32(prog);
  w.u32(vers);
  w.u32(proc);
  const auth = opts.auth === undefined ? ROOT_AUTH : opts.auth;
  const cred = opts.rawCred ?? (auth ? { flavor: AuthFlavor.AUTH_SYS, body: encodeAuthSys(auth) } : { flavor: AuthFlavor.AUTH_NONE, body: Buffer.alloc(0) });
  w.u32(cred.flavor);
  w.opaque(cred.body);
  w.u32(AuthFlavor.AUTH_NONE);
  w.u32(0);
  w.fixedOpaque(args);
  w.patchU32(0, recordMark(w.length - 4));
  return Buffer.from(w.finish());
}

function decodeReply(rec: Buffer): RpcReply {
  const r = new XdrReader(rec);
  const xid = r.u32();
  if (r.u32() !== MsgType.REPLY) throw new Error('not a reply');
  if (r.u32() === ReplyStat.MSG_DENIED) {
    const rejectStat = r.u32();
    const detail: number[] = [];
    while (r.remaining >= 4) detail.push(r.u32());
    return { kind: 'denied', xid, rejectStat, detail };
  }
  r.u32();
  r.opaque(400);
  const stat = r.u32();
  if (stat === 2) return { kind: 'accepted', xid, stat, body: r, mismatch: { low: r.u32(), high: r.u32() } };
  return { kind: 'accepted', xid, stat, body: r };
}
