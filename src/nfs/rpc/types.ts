// ONC RPC (RFC 5531) shapes shared by every program served over the RPC listener (NFSv3, MOUNT, NFSv4).
import type { XdrReader } from '../xdr/reader.ts';

/** AUTH_SYS (a.k.a. AUTH_UNIX) credentials, RFC 5531 appendix A. */
export interface AuthSys {
  stamp: number;
  machine: string;
  uid: number;
  gid: number;
  gids: number[];
}

export interface ConnectionInfo {
  id: number;
  clientAddress: string;
  clientPort: number;
  localAddress: string;
  localPort: number;
}

/** The decoded call header: who is calling which procedure, with which credential. */
export interface CallHeader {
  xid: number;
  prog: number;
  vers: number;
  proc: number;
  /** AUTH_NONE (0) or AUTH_SYS (1); other flavors are refused before a handler runs. */
  flavor: number;
  authSys?: AuthSys;
}

export interface RpcCall extends CallHeader {
  /** Positioned at the procedure's arguments. An XdrError thrown while decoding them becomes GARBAGE_ARGS. */
  args: XdrReader;
  conn: ConnectionInfo;
}

export type RpcResult =
  | { kind: 'success'; body: Buffer | readonly Buffer[] }
  | { kind: 'garbage_args' }
  | { kind: 'proc_unavail' }
  | { kind: 'system_err' }
  | { kind: 'auth_error'; stat: number }
  /** Send no reply at all (e.g. a duplicate still in progress). */
  | { kind: 'drop' };

export type RpcVersionHandler = (call: RpcCall) => Promise<RpcResult>;

export interface RpcProgram {
  prog: number;
  versions: Map<number, RpcVersionHandler>;
}
