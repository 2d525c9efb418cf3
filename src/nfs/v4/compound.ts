// The state one COMPOUND carries from op to op (current/saved file handle, session, current stateid),
// the server-wide context ops use, and the operation handler signature.
import type { Attr, Caller } from '../../engine/index.ts';
import type { ExportLookupContext, ExportTable } from '../exports.ts';
import type { HandleCodec } from '../filehandle.ts';
import { callerFor } from '../identity.ts';
import type { RpcCall } from '../rpc/types.ts';
import type { XdrReader } from '../xdr/reader.ts';
import type { XdrWriter } from '../xdr/writer.ts';
import type { Logger } from 'pino';
import { Status } from './constants.ts';
import type { Node, ObjectNode } from './node.ts';
import type { ClientRecord } from './state/model.ts';
import type { Nfs4State } from './state/nfs4-state.ts';
import type { Session } from './state/session.ts';
import type { Stateid } from './state/stateid.ts';
import { fail } from './status.ts';
import { isFsError } from '../../engine/index.ts';

export interface ServerContext {
  exports: ExportTable;
  /** Encodes and authenticates file handles (the server's key). */
  handles: HandleCodec;
  state: Nfs4State;
  logger?: Logger;
  /** Server instance verifier for EXCHANGE_ID/SETCLIENTID scope and start time for pseudo attributes. */
  bootTime: number;
}

export interface Compound {
  server: ServerContext;
  call: RpcCall;
  minor: number;
  lc: ExportLookupContext;
  opCount: number;
  cur?: Node;
  saved?: Node;
  /** NFSv4.1 current stateid (RFC 8881 §16.2.3.1.2). */
  curStateid?: Stateid;
  session?: Session;
  slotid?: number;
  cacheThis?: boolean;
  /** Set by SEQUENCE when the request is a retry answered from the reply cache. */
  replay?: Buffer;
}

/** An op's outcome: the status and, when the op's result has a body for that status, its encoder. */
export interface OpResult {
  status: number;
  encode?: (w: XdrWriter) => void;
}

export type OpHandler = (c: Compound, args: XdrReader) => Promise<OpResult>;

export const OK: OpResult = Object.freeze({ status: Status.OK });
export const ok = (encode: (w: XdrWriter) => void): OpResult => ({ status: Status.OK, encode });

export function curNode(c: Compound): Node {
  if (!c.cur) fail(Status.NOFILEHANDLE);
  return c.cur;
}

/** The current file handle as an object inside an export; pseudo directories answer `pseudoStatus`. */
export function curObject(c: Compound, pseudoStatus: number = Status.INVAL): ObjectNode {
  const n = curNode(c);
  if (n.kind === 'pseudo') fail(pseudoStatus);
  return n;
}

export function callerOf(c: Compound, n: ObjectNode): Caller {
  return callerFor(c.call, n.exp.rules);
}

/** getattr that turns a vanished inode or a reused inode number (other generation) into STALE. */
export async function attrOf(n: ObjectNode): Promise<Attr> {
  try {
    const a = await n.exp.volume.getattr(n.ino);
    if (a.generation !== n.generation) fail(Status.STALE);
    return a;
  } catch (e) {
    if (isFsError(e, 'ENOENT') || isFsError(e, 'ESTALE')) fail(Status.STALE);
    throw e;
  }
}

/** Modifying ops on a read-only export (or read-only volume) fail with ROFS before touching anything. */
export function requireWritable(n: Node): ObjectNode {
  if (n.kind === 'pseudo') fail(Status.ROFS);
  if (n.exp.rules.readOnly || n.exp.volume.readOnly) fail(Status.ROFS);
  return n;
}

export function nodeFor(n: ObjectNode, a: Attr): ObjectNode {
  return { kind: 'object', exp: n.exp, ino: a.ino, generation: a.generation };
}

/** NFSv4.1 sessions or the 4.0 clientid: who this COMPOUND speaks for. */
export function sessionClient(c: Compound): ClientRecord | undefined {
  return c.session?.client;
}
