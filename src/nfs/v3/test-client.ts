// A small NFSv3 + MOUNT client over RpcClient, for protocol tests of procedures libnfs tools don't reach.
import { RpcClient, type CallOptions } from '../rpc/client.ts';
import { XdrWriter } from '../xdr/writer.ts';
import type { XdrReader } from '../xdr/reader.ts';
import { AcceptStat } from '../rpc/constants.ts';
import { NFS_PROGRAM, NFS_V3 } from './constants.ts';
import { MOUNT_PROGRAM, MOUNT_V3, MountProc } from '../mount/constants.ts';

export class V3TestClient {
  constructor(readonly rpc: RpcClient, public opts: CallOptions = {}) {}

  static async connect(port: number, opts: CallOptions = {}): Promise<V3TestClient> {
    return new V3TestClient(await RpcClient.connect(port), opts);
  }

  /** Calls an NFSv3 procedure; returns the reply body positioned after the nfsstat3. */
  async call(proc: number, build: (w: XdrWriter) => void): Promise<{ status: number; body: XdrReader }> {
    const body = await this.raw(NFS_PROGRAM, NFS_V3, proc, build);
    return { status: body.u32(), body };
  }

  async mount(path: string): Promise<{ status: number; fh?: Buffer }> {
    const body = await this.raw(MOUNT_PROGRAM, MOUNT_V3, MountProc.MNT, (w) => w.string(path));
    const status = body.u32();
    return status === 0 ? { status, fh: Buffer.from(body.opaque(64)) } : { status };
  }

  async raw(prog: number, vers: number, proc: number, build: (w: XdrWriter) => void): Promise<XdrReader> {
    const w = new XdrWriter();
    build(w);
    const reply = await this.rpc.call(prog, vers, proc, Buffer.from(w.finish()), this.opts);
    if (reply.kind !== 'accepted' || reply.stat !== AcceptStat.SUCCESS) {
      throw new Error(`RPC failed: ${JSON.stringify({ kind: reply.kind, stat: reply.kind === 'accepted' ? reply.stat : reply.rejectStat })}`);
    }
    return reply.body;
  }

  close(): void {
    this.rpc.close();
  }
}

/** Skips a post_op_attr; returns the fattr3's (type, mode, uid, size, fileid) when present. */
export function readPostOp(r: XdrReader): { type: number; mode: number; uid: number; gid: number; size: number; fileid: number; nlink: number; ctime: [number, number] } | undefined {
  if (!r.bool()) return undefined;
  const type = r.u32();
  const mode = r.u32();
  const nlink = r.u32();
  const uid = r.u32();
  const gid = r.u32();
  const size = r.u64n();
  r.u64();
  r.u32();
  r.u32();
  r.u64();
  const fileid = r.u64n();
  r.u32(); r.u32(); r.u32(); r.u32();
  const ctime: [number, number] = [r.u32(), r.u32()];
  return { type, mode, uid, gid, size, fileid, nlink, ctime };
}

export function skipWcc(r: XdrReader): void {
  if (r.bool()) {
    r.u64();
    r.u64();
    r.u64();
  }
  readPostOp(r);
}

/** sattr3 with only a mode (or nothing). */
export function writeSattr(w: XdrWriter, set: { mode?: number; size?: number } = {}): void {
  w.bool(set.mode !== undefined);
  if (set.mode !== undefined) w.u32(set.mode);
  w.bool(false);
  w.bool(false);
  w.bool(set.size !== undefined);
  if (set.size !== undefined) w.u64(set.size);
  w.u32(0);
  w.u32(0);
}
