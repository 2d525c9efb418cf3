// What every NFSv3 procedure gets: the call, its decoded arguments so far, and file handle resolution that
// enforces the export's rules (client allow-list, identity mapping, read-only).
import type { Logger } from 'pino';
import type { Attr, Caller, InodeNumber, Volume } from '../../engine/index.ts';
import { isFsError } from '../../engine/index.ts';
import type { Export, ExportTable } from '../exports.ts';
import type { HandleCodec } from '../filehandle.ts';
import { callerFor, clientAllowed } from '../identity.ts';
import type { RpcCall } from '../rpc/types.ts';
import type { XdrReader } from '../xdr/reader.ts';
import type { XdrWriter } from '../xdr/writer.ts';
import { NFS3_FHSIZE, Nfs3Status } from './constants.ts';
import { Nfs3Error, statusOf } from './status.ts';

export interface V3Env {
  exports: ExportTable;
  logger: Logger;
  handles: HandleCodec;
}

/** A file handle resolved to a live object the caller may reach. */
export interface Target {
  exp: Export;
  vol: Volume;
  ino: InodeNumber;
  caller: Caller;
  /** Attributes when resolved: the pre-op attributes of wcc data. */
  attr: Attr;
}

export class V3Request {
  constructor(readonly call: RpcCall, readonly env: V3Env) {}

  get args(): XdrReader {
    return this.call.args;
  }

  /** Reads an nfs_fh3 from the arguments (decoded, not resolved: the caller resolves once args are read). */
  readHandle(): Buffer {
    return this.args.opaque(NFS3_FHSIZE);
  }

  /** BADHANDLE for garbage, STALE for a gone export/inode/generation, ACCES for a refused client. */
  async resolve(handle: Buffer): Promise<Target> {
    const fh = this.env.handles.decode(handle);
    if (!fh || fh.kind !== 'object') throw new Nfs3Error(Nfs3Status.BADHANDLE);
    const ctx = { clientAddress: this.call.conn.clientAddress, localAddress: this.call.conn.localAddress };
    const exp = this.env.exports.byId(fh.exportId, ctx);
    if (!exp) throw new Nfs3Error(Nfs3Status.STALE);
    if (!clientAllowed(exp.rules, ctx.clientAddress)) throw new Nfs3Error(Nfs3Status.ACCES);
    let attr: Attr;
    try {
      attr = await exp.volume.getattr(fh.ino);
    } catch (e) {
      if (isFsError(e, 'ENOENT') || isFsError(e, 'ESTALE')) throw new Nfs3Error(Nfs3Status.STALE);
      throw e;
    }
    if (attr.generation >>> 0 !== fh.generation) throw new Nfs3Error(Nfs3Status.STALE);
    return { exp, vol: exp.volume, ino: fh.ino, caller: callerFor(this.call, exp.rules), attr };
  }

  /** Writes the failure status for e (logging server faults); rethrows XdrError so the call is GARBAGE_ARGS. */
  fail(out: XdrWriter, e: unknown): void {
    const status = statusOf(e);
    if (status === undefined) throw e;
    if (status === Nfs3Status.SERVERFAULT) this.env.logger.error({ err: e, proc: this.call.proc }, 'NFSv3 procedure failed');
    out.u32(status);
  }

  /** Like resolve, and refuses with ROFS when the export or volume is read-only. */
  async resolveWritable(handle: Buffer): Promise<Target> {
    const t = await this.resolve(handle);
    assertWritable(t);
    return t;
  }
}

export function assertWritable(t: Target): void {
  if (t.exp.rules.readOnly || t.vol.readOnly) throw new Nfs3Error(Nfs3Status.ROFS);
}

export function handleFor(handles: HandleCodec, exp: Export, attr: Attr): Buffer {
  return handles.encode({ kind: 'object', exportId: exp.id, ino: attr.ino, generation: attr.generation >>> 0 });
}

export const NO_FSID = 0n;

/** Current attributes for a post_op_attr, or none if they cannot be read (post-op attributes are optional). */
export async function attrsAfter(t: Target | undefined, ino?: InodeNumber): Promise<Attr | undefined> {
  if (!t) return undefined;
  try {
    if (ino === undefined) ino = t.ino;
    return await t.vol.getattr(ino);
  } catch {
    return undefined;
  }
}

/** A v3 procedure writes its whole result (status first) into `out`. */
export type V3Procedure = (req: V3Request, out: XdrWriter) => Promise<void>;
