// CREATE_SESSION (RFC 8881 §18.36): confirms the client record, sequenced by csa_sequence with a
// one-entry reply cache. We never offer a back channel: the server does not call clients.
import { CreateSessionFlags, MAX_IO, Status } from '../constants.ts';
import { ok, type OpHandler, type OpResult } from '../compound.ts';
import type { ChannelAttrs } from '../state/session.ts';
import { fail } from '../status.ts';
import { XdrWriter } from '../../xdr/writer.ts';
import type { XdrReader } from '../../xdr/reader.ts';

const MAX_SLOTS = 64;
const MAX_OPS = 64;
/** A 1 MiB WRITE plus headers must fit in one request; the same for READ replies. */
const MAX_MSG = MAX_IO + 64 * 1024;
const MAX_CACHED = 64 * 1024;

function readChannel(r: XdrReader): ChannelAttrs {
  const a = {
    headerPadSize: r.u32(), maxRequestSize: r.u32(), maxResponseSize: r.u32(), maxResponseSizeCached: r.u32(),
    maxOperations: r.u32(), maxRequests: r.u32(), rdmaIrd: [] as number[],
  };
  const n = r.u32();
  if (n > 1) fail(Status.BADXDR);
  for (let i = 0; i < n; i++) a.rdmaIrd.push(r.u32());
  return a;
}

function writeChannel(w: XdrWriter, a: ChannelAttrs): void {
  w.u32(a.headerPadSize);
  w.u32(a.maxRequestSize);
  w.u32(a.maxResponseSize);
  w.u32(a.maxResponseSizeCached);
  w.u32(a.maxOperations);
  w.u32(a.maxRequests);
  w.u32(0);
}

function skipSecParms(r: XdrReader): void {
  const n = r.u32();
  if (n > 16) fail(Status.BADXDR);
  for (let i = 0; i < n; i++) {
    const flavor = r.u32();
    if (flavor === 1) {
      r.u32();
      r.string(255);
      r.u32();
      r.u32();
      const g = r.u32();
      if (g > 16) fail(Status.BADXDR);
      for (let j = 0; j < g; j++) r.u32();
    } else if (flavor === 6) {
      r.u32();
      r.opaque(1024);
      r.opaque(1024);
    }
  }
}

function negotiate(asked: ChannelAttrs): ChannelAttrs {
  if (asked.maxRequests < 1 || asked.maxOperations < 2) fail(Status.TOOSMALL);
  return {
    headerPadSize: 0,
    maxRequestSize: Math.min(asked.maxRequestSize, MAX_MSG),
    maxResponseSize: Math.min(asked.maxResponseSize, MAX_MSG),
    maxResponseSizeCached: Math.min(asked.maxResponseSizeCached, MAX_CACHED),
    maxOperations: Math.min(asked.maxOperations, MAX_OPS),
    maxRequests: Math.min(asked.maxRequests, MAX_SLOTS),
    rdmaIrd: [],
  };
}

export const createSession: OpHandler = async (c, r) => {
  const clientid = r.u64();
  const seq = r.u32();
  const flags = r.u32();
  const fore = readChannel(r);
  const back = readChannel(r);
  r.u32(); // cb_program: recorded nowhere, we never call back
  skipSecParms(r);
  const state = c.server.state;
  const client = state.client(clientid);
  const last = client.lastCreateSession;
  if (last && seq === last.seq) {
    return { status: last.status, encode: (w) => w.fixedOpaque(last.body) };
  }
  if (seq !== client.createSessionSeq) fail(Status.SEQ_MISORDERED);
  const session = state.createSession(client, negotiate(fore), { ...back, rdmaIrd: [] }, 0);
  if (!client.confirmed) state.confirm(client);
  state.renew(client);
  client.createSessionSeq = (seq + 1) >>> 0;
  // PERSIST and CONN_BACK_CHAN are both refused: replies are not kept across restarts, no callbacks.
  const outFlags = flags & ~(CreateSessionFlags.PERSIST | CreateSessionFlags.CONN_BACK_CHAN | CreateSessionFlags.CONN_RDMA);
  const w = new XdrWriter(128);
  w.fixedOpaque(session.id);
  w.u32(seq);
  w.u32(outFlags);
  writeChannel(w, session.fore);
  writeChannel(w, session.back);
  const body = Buffer.from(w.finish());
  client.lastCreateSession = { seq, status: Status.OK, body };
  const res: OpResult = ok((out) => out.fixedOpaque(body));
  return res;
};
