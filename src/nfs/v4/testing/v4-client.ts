// The project's own NFSv4 client for protocol tests: a COMPOUND builder over RpcClient, op encoders for
// what the tests use, and a 4.1 session helper that numbers slots like a real client.
import { RpcClient, type CallOptions } from '../../rpc/client.ts';
import { AcceptStat } from '../../rpc/constants.ts';
import type { XdrReader } from '../../xdr/reader.ts';
import { XdrWriter } from '../../xdr/writer.ts';
import { NFS4_PROGRAM, NFS4_VERSION, Op, Status } from '../constants.ts';
import type { Stateid } from '../state/stateid.ts';

export interface OpSpec {
  op: number;
  args?: (w: XdrWriter) => void;
  /** Decodes the op's body after its status (only called when the body is present). */
  res?: (r: XdrReader, status: number) => unknown;
}

export interface OpOutcome {
  op: number;
  status: number;
  value?: unknown;
}

export interface CompoundReply {
  status: number;
  tag: string;
  results: OpOutcome[];
}

const readStateid = (r: XdrReader): Stateid => ({ seqid: r.u32(), other: Buffer.from(r.fixedOpaque(12)) });
const writeStateid = (w: XdrWriter, s: Stateid): void => {
  w.u32(s.seqid);
  w.fixedOpaque(s.other);
};
export const ANON_STATEID: Stateid = { seqid: 0, other: Buffer.alloc(12) };
export const CURRENT_STATEID: Stateid = { seqid: 1, other: Buffer.alloc(12) };

export class V4TestClient {
  constructor(readonly rpc: RpcClient, public opts: CallOptions = {}) {}

  static async connect(port: number, opts: CallOptions = {}): Promise<V4TestClient> {
    return new V4TestClient(await RpcClient.connect(port), opts);
  }

  close(): void {
    this.rpc.close();
  }

  /** Sends raw COMPOUND arguments; returns the RPC accept status and the body. */
  async raw(args: Buffer, proc = 1): Promise<{ stat: number; body: XdrReader }> {
    const reply = await this.rpc.call(NFS4_PROGRAM, NFS4_VERSION, proc, args, this.opts);
    if (reply.kind !== 'accepted') throw new Error(`RPC denied: ${reply.rejectStat}`);
    return { stat: reply.stat, body: reply.body };
  }

  async compound(minor: number, ops: OpSpec[], tag = ''): Promise<CompoundReply> {
    const w = new XdrWriter();
    w.string(tag);
    w.u32(minor);
    w.u32(ops.length);
    for (const o of ops) {
      w.u32(o.op);
      o.args?.(w);
    }
    const { stat, body } = await this.raw(Buffer.from(w.finish()));
    if (stat !== AcceptStat.SUCCESS) throw new Error(`RPC accept status ${stat}`);
    return parseCompound(body, ops);
  }
}

/** Decodes a COMPOUND reply; bodies are decoded for OK results and for LOCK/LOCKT DENIED. */
export function parseCompound(r: XdrReader, ops: OpSpec[]): CompoundReply {
  const status = r.u32();
  const tag = r.string();
  const n = r.u32();
  const results: OpOutcome[] = [];
  for (let i = 0; i < n; i++) {
    const op = r.u32();
    const st = r.u32();
    const spec = ops[i];
    const hasBody = st === Status.OK || (st === Status.DENIED && (op === Op.LOCK || op === Op.LOCKT)) || op === Op.SETATTR;
    const value = hasBody && spec?.res && spec.op === op ? spec.res(r, st) : undefined;
    results.push({ op, status: st, value });
  }
  return { status, tag, results };
}

// ---- op encoders -------------------------------------------------------------------------------------

export const ops = {
  putrootfh: (): OpSpec => ({ op: Op.PUTROOTFH }),
  putfh: (fh: Buffer): OpSpec => ({ op: Op.PUTFH, args: (w) => w.opaque(fh) }),
  getfh: (): OpSpec => ({ op: Op.GETFH, res: (r) => Buffer.from(r.opaque()) }),
  lookup: (name: string): OpSpec => ({ op: Op.LOOKUP, args: (w) => w.string(name) }),
  savefh: (): OpSpec => ({ op: Op.SAVEFH }),
  restorefh: (): OpSpec => ({ op: Op.RESTOREFH }),
  getattr: (bits: number[]): OpSpec => ({
    op: Op.GETATTR,
    args: (w) => writeBits(w, bits),
    res: (r) => ({ bitmap: readWords(r), vals: Buffer.from(r.opaque()) }),
  }),
  create_dir: (name: string): OpSpec => ({
    op: Op.CREATE,
    args: (w) => { w.u32(2); w.string(name); w.u32(0); w.opaque(Buffer.alloc(0)); },
    res: (r) => { r.bool(); r.u64(); r.u64(); readWords(r); },
  }),
  remove: (name: string): OpSpec => ({ op: Op.REMOVE, args: (w) => w.string(name), res: (r) => { r.bool(); r.u64(); r.u64(); } }),
  open: (o: { seqid?: number; access: number; deny?: number; clientid?: bigint; owner: string; name: string; create?: boolean }): OpSpec => ({
    op: Op.OPEN,
    args: (w) => {
      w.u32(o.seqid ?? 0);
      w.u32(o.access);
      w.u32(o.deny ?? 0);
      w.u64(o.clientid ?? 0n);
      w.string(o.owner);
      if (o.create) { w.u32(1); w.u32(0); w.u32(0); w.opaque(Buffer.alloc(0)); } else w.u32(0);
      w.u32(0);
      w.string(o.name);
    },
    res: (r) => {
      const stateid = readStateid(r);
      r.bool(); r.u64(); r.u64();
      const rflags = r.u32();
      readWords(r);
      const deleg = r.u32();
      return { stateid, rflags, deleg };
    },
  }),
  openConfirm: (sid: Stateid, seqid: number): OpSpec => ({
    op: Op.OPEN_CONFIRM, args: (w) => { writeStateid(w, sid); w.u32(seqid); }, res: readStateid,
  }),
  close: (sid: Stateid, seqid = 0): OpSpec => ({ op: Op.CLOSE, args: (w) => { w.u32(seqid); writeStateid(w, sid); }, res: readStateid }),
  read: (sid: Stateid, offset: number, count: number): OpSpec => ({
    op: Op.READ,
    args: (w) => { writeStateid(w, sid); w.u64(offset); w.u32(count); },
    res: (r) => ({ eof: r.bool(), data: Buffer.from(r.opaque()) }),
  }),
  write: (sid: Stateid, offset: number, data: Buffer, stable = 2): OpSpec => ({
    op: Op.WRITE,
    args: (w) => { writeStateid(w, sid); w.u64(offset); w.u32(stable); w.opaque(data); },
    res: (r) => ({ count: r.u32(), committed: r.u32(), verf: Buffer.from(r.fixedOpaque(8)) }),
  }),
  lockNew: (o: { write: boolean; offset: bigint; length: bigint; openSeqid?: number; open: Stateid; clientid?: bigint; owner: string }): OpSpec => ({
    op: Op.LOCK,
    args: (w) => {
      w.u32(o.write ? 2 : 1); w.bool(false); w.u64(o.offset); w.u64(o.length);
      w.bool(true); w.u32(o.openSeqid ?? 0); writeStateid(w, o.open); w.u32(0); w.u64(o.clientid ?? 0n); w.string(o.owner);
    },
    res: readLockRes,
  }),
  lockExisting: (o: { write: boolean; offset: bigint; length: bigint; lock: Stateid; seqid?: number }): OpSpec => ({
    op: Op.LOCK,
    args: (w) => {
      w.u32(o.write ? 2 : 1); w.bool(false); w.u64(o.offset); w.u64(o.length);
      w.bool(false); writeStateid(w, o.lock); w.u32(o.seqid ?? 0);
    },
    res: readLockRes,
  }),
  lockt: (o: { write: boolean; offset: bigint; length: bigint; clientid?: bigint; owner: string }): OpSpec => ({
    op: Op.LOCKT,
    args: (w) => { w.u32(o.write ? 2 : 1); w.u64(o.offset); w.u64(o.length); w.u64(o.clientid ?? 0n); w.string(o.owner); },
    res: (r, status) => (status === Status.DENIED ? readLockRes(r, status) : undefined),
  }),
  locku: (sid: Stateid, offset: bigint, length: bigint, seqid = 0): OpSpec => ({
    op: Op.LOCKU,
    args: (w) => { w.u32(2); w.u32(seqid); writeStateid(w, sid); w.u64(offset); w.u64(length); },
    res: readStateid,
  }),
  testStateid: (sids: Stateid[]): OpSpec => ({
    op: Op.TEST_STATEID,
    args: (w) => { w.u32(sids.length); for (const s of sids) writeStateid(w, s); },
    res: (r) => Array.from({ length: r.u32() }, () => r.u32()),
  }),
  reclaimComplete: (): OpSpec => ({ op: Op.RECLAIM_COMPLETE, args: (w) => w.bool(false) }),
  renew: (clientid: bigint): OpSpec => ({ op: Op.RENEW, args: (w) => w.u64(clientid) }),
  raw: (op: number, args?: (w: XdrWriter) => void): OpSpec => ({ op, args }),
};

function readLockRes(r: XdrReader, status: number): unknown {
  if (status === Status.DENIED) {
    return { denied: { offset: r.u64(), length: r.u64(), type: r.u32(), clientid: r.u64(), owner: r.string() } };
  }
  return readStateid(r);
}

export function writeBits(w: XdrWriter, bits: number[]): void {
  const words: number[] = [];
  for (const b of bits) {
    while (words.length <= b >>> 5) words.push(0);
    words[b >>> 5] = (words[b >>> 5] | (1 << (b & 31))) >>> 0;
  }
  w.u32(words.length);
  for (const x of words) w.u32(x);
}

function readWords(r: XdrReader): number[] {
  return Array.from({ length: r.u32() }, () => r.u32());
}

// ---- clients ------------------------------------------------------------------------------------------

/** A confirmed NFSv4.0 client (SETCLIENTID + SETCLIENTID_CONFIRM). */
export async function setclientid(c: V4TestClient, name: string, verifier = Buffer.alloc(8, 1)): Promise<bigint> {
  const res = await c.compound(0, [{
    op: Op.SETCLIENTID,
    args: (w) => { w.fixedOpaque(verifier); w.string(name); w.u32(0x40000000); w.string('tcp'); w.string('127.0.0.1.3.4'); w.u32(1); },
    res: (r) => ({ clientid: r.u64(), verf: Buffer.from(r.fixedOpaque(8)) }),
  }]);
  if (res.status !== Status.OK) throw new Error(`SETCLIENTID ${res.status}`);
  const { clientid, verf } = res.results[0].value as { clientid: bigint; verf: Buffer };
  const conf = await c.compound(0, [{ op: Op.SETCLIENTID_CONFIRM, args: (w) => { w.u64(clientid); w.fixedOpaque(verf); } }]);
  if (conf.status !== Status.OK) throw new Error(`SETCLIENTID_CONFIRM ${conf.status}`);
  return clientid;
}

/** An NFSv4.1 session: every `call` goes through SEQUENCE on slot 0 with the next seqid. */
export class V41Session {
  seqid = 0;
  constructor(readonly c: V4TestClient, readonly clientid: bigint, readonly sessionid: Buffer, readonly minor: number) {}

  static async create(c: V4TestClient, name: string, minor = 1, verifier = Buffer.alloc(8, 7)): Promise<V41Session> {
    const ex = await c.compound(minor, [{
      op: Op.EXCHANGE_ID,
      args: (w) => { w.fixedOpaque(verifier); w.string(name); w.u32(0); w.u32(0); w.u32(0); },
      res: (r) => ({ clientid: r.u64(), seq: r.u32() }),
    }]);
    if (ex.status !== Status.OK) throw new Error(`EXCHANGE_ID ${ex.status}`);
    const { clientid, seq } = ex.results[0].value as { clientid: bigint; seq: number };
    const chan = (w: XdrWriter): void => { w.u32(0); w.u32(2 << 20); w.u32(2 << 20); w.u32(64 << 10); w.u32(16); w.u32(8); w.u32(0); };
    const cs = await c.compound(minor, [{
      op: Op.CREATE_SESSION,
      args: (w) => { w.u64(clientid); w.u32(seq); w.u32(0); chan(w); chan(w); w.u32(0x40000000); w.u32(1); w.u32(0); },
      res: (r) => Buffer.from(r.fixedOpaque(16)),
    }]);
    if (cs.status !== Status.OK) throw new Error(`CREATE_SESSION ${cs.status}`);
    return new V41Session(c, clientid, cs.results[0].value as Buffer, minor);
  }

  sequenceOp(seqid: number, slot = 0, cacheThis = true): OpSpec {
    return {
      op: Op.SEQUENCE,
      args: (w) => { w.fixedOpaque(this.sessionid); w.u32(seqid); w.u32(slot); w.u32(slot); w.bool(cacheThis); },
      res: (r) => { r.fixedOpaque(16); return { seqid: r.u32(), slot: r.u32(), highest: r.u32(), target: r.u32(), flags: r.u32() }; },
    };
  }

  /** SEQUENCE + ops on slot 0 with the next seqid; the SEQUENCE result is dropped from `results`. */
  async call(list: OpSpec[]): Promise<CompoundReply> {
    this.seqid++;
    const res = await this.c.compound(this.minor, [this.sequenceOp(this.seqid), ...list]);
    return { ...res, results: res.results.slice(1) };
  }
}
