// RPC call header decoding and reply header encoding (RFC 5531 section 9).
import { XdrReader } from '../xdr/reader.ts';
import { XdrWriter } from '../xdr/writer.ts';
import { AcceptStat, AuthFlavor, AuthStat, MAX_AUTH_BYTES, MsgType, RejectStat, ReplyStat, RPC_VERSION } from './constants.ts';
import { parseAuthSys } from './auth-sys.ts';
import type { AuthSys, CallHeader } from './types.ts';


/** What a record turned out to be before any program sees it. */
export type DecodedCall =
  | { kind: 'call'; header: CallHeader; args: XdrReader }
  /** Not a call we can answer at all (too short, or a REPLY): dropped silently. */
  | { kind: 'ignore' }
  /** Answerable with an RPC-level rejection. */
  | { kind: 'reject'; xid: number; reply: RejectReason };

export type RejectReason =
  | { kind: 'rpc_mismatch' }
  | { kind: 'auth_error'; stat: number };

export function decodeCall(record: Buffer | readonly Buffer[]): DecodedCall {
  const r = new XdrReader(record);
  if (r.remaining < 8) return { kind: 'ignore' };
  const xid = r.u32();
  if (r.u32() !== MsgType.CALL) return { kind: 'ignore' };
  if (r.remaining < 16) return { kind: 'reject', xid, reply: { kind: 'auth_error', stat: AuthStat.AUTH_BADCRED } };
  const rpcvers = r.u32();
  const prog = r.u32();
  const vers = r.u32();
  const proc = r.u32();
  if (rpcvers !== RPC_VERSION) return { kind: 'reject', xid, reply: { kind: 'rpc_mismatch' } };
  const auth = readCredentials(r);
  if (auth.kind === 'bad') return { kind: 'reject', xid, reply: { kind: 'auth_error', stat: auth.stat } };
  return { kind: 'call', header: { xid, prog, vers, proc, flavor: auth.flavor, authSys: auth.authSys }, args: r };
}

type Credentials = { kind: 'ok'; flavor: number; authSys?: AuthSys } | { kind: 'bad'; stat: number };

function readCredentials(r: XdrReader): Credentials {
  let flavor: number;
  let body: Buffer;
  try {
    flavor = r.u32();
    body = r.opaque(MAX_AUTH_BYTES);
  } catch {
    return { kind: 'bad', stat: AuthStat.AUTH_BADCRED };
  }
  try {
    r.u32();
    r.opaque(MAX_AUTH_BYTES);
  } catch {
    return { kind: 'bad', stat: AuthStat.AUTH_BADVERF };
  }
  if (flavor === AuthFlavor.AUTH_NONE) return { kind: 'ok', flavor };
  if (flavor !== AuthFlavor.AUTH_SYS) return { kind: 'bad', stat: AuthStat.AUTH_BADCRED };
  const authSys = parseAuthSys(body);
  return authSys ? { kind: 'ok', flavor, authSys } : { kind: 'bad', stat: AuthStat.AUTH_BADCRED };
}

function acceptedHeader(w: XdrWriter, xid: number, stat: number): void {
  w.u32(xid);
  w.u32(MsgType.REPLY);
  w.u32(ReplyStat.MSG_ACCEPTED);
  w.u32(AuthFlavor.AUTH_NONE);
  w.u32(0);
  w.u32(stat);
}

/**
 * The reply header, preceded by 4 bytes reserved for the record mark (patched by the caller once the body
 * length is known), so a reply is one small header buffer plus the body.
 */
export function encodeAccepted(xid: number, stat: number, mismatch?: { low: number; high: number }): XdrWriter {
  const w = new XdrWriter(48);
  w.reserveU32();
  acceptedHeader(w, xid, stat);
  if (stat === AcceptStat.PROG_MISMATCH && mismatch) {
    w.u32(mismatch.low);
    w.u32(mismatch.high);
  }
  return w;
}

export function encodeDenied(xid: number, reason: RejectReason): XdrWriter {
  const w = new XdrWriter(32);
  w.reserveU32();
  w.u32(xid);
  w.u32(MsgType.REPLY);
  w.u32(ReplyStat.MSG_DENIED);
  if (reason.kind === 'rpc_mismatch') {
    w.u32(RejectStat.RPC_MISMATCH);
    w.u32(RPC_VERSION);
    w.u32(RPC_VERSION);
  } else {
    w.u32(RejectStat.AUTH_ERROR);
    w.u32(reason.stat);
  }
  return w;
}
