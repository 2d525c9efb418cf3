// Runs one COMPOUND (RFC 8881 §15.2, §16.2.3): decodes each op, enforces the session rules of 4.1
// (SEQUENCE first, sessionless ops alone), stops at the first failing op, and fills the slot's reply cache.
import type { RpcCall, RpcResult } from '../rpc/types.ts';
import { XdrError } from '../xdr/errors.ts';
import { XdrWriter } from '../xdr/writer.ts';
import { MAX_MINOR_VERSION, MAX_OPS_PER_COMPOUND, Op, Status } from './constants.ts';
import type { Compound, OpResult, ServerContext } from './compound.ts';
import { handlerFor } from './dispatch.ts';
import { statusOf } from './status.ts';

/** Ops a 4.1 COMPOUND may start with instead of SEQUENCE, if they are its only op (RFC 8881 §2.10.6). */
const SESSIONLESS = new Set<number>([
  Op.EXCHANGE_ID, Op.CREATE_SESSION, Op.DESTROY_SESSION, Op.BIND_CONN_TO_SESSION, Op.DESTROY_CLIENTID,
]);
/** Replies this small are cached even when the client did not ask (cheap, and makes retries exact). */
const ALWAYS_CACHE_BELOW = 4096;

function header(w: XdrWriter, tag: Buffer): { statusAt: number; countAt: number } {
  const statusAt = w.reserveU32();
  w.opaque(tag);
  return { statusAt, countAt: w.reserveU32() };
}

/** Position rules of 4.1+: a status to fail the op with before running it, or undefined. */
function positionError(c: Compound, op: number, index: number): number | undefined {
  if (c.minor === 0) return undefined;
  if (index === 0 && op !== Op.SEQUENCE) {
    if (!SESSIONLESS.has(op)) return Status.OP_NOT_IN_SESSION;
    if (c.opCount > 1 && op !== Op.DESTROY_SESSION) return Status.NOT_ONLY_OP;
    return undefined;
  }
  if (index > 0 && op === Op.SEQUENCE) return Status.SEQUENCE_POS;
  return undefined;
}

async function runOp(c: Compound, op: number, index: number): Promise<{ op: number; result: OpResult }> {
  const handler = handlerFor(op, c.minor);
  if (!handler) return { op: Op.ILLEGAL, result: { status: Status.OP_ILLEGAL } };
  const pos = positionError(c, op, index);
  if (pos !== undefined) return { op, result: { status: pos } };
  try {
    return { op, result: await handler(c, c.call.args) };
  } catch (e) {
    const { status, unexpected } = statusOf(e);
    if (unexpected) c.server.logger?.error({ err: e, op }, 'nfs4 op failed unexpectedly');
    return { op, result: { status } };
  }
}

export async function runCompound(server: ServerContext, call: RpcCall): Promise<RpcResult> {
  const r = call.args;
  let tag: Buffer, minor: number, count: number;
  try {
    tag = Buffer.from(r.opaque(1024));
    minor = r.u32();
    count = r.u32();
  } catch (e) {
    if (e instanceof XdrError) return { kind: 'garbage_args' };
    throw e;
  }
  // The header (status, tag, result count) is patched last, so it has a writer of its own; results may then
  // reference READ data instead of copying it (XdrWriter.opaqueRef).
  const hw = new XdrWriter(64 + tag.length);
  const { statusAt, countAt } = header(hw, tag);
  if (minor > MAX_MINOR_VERSION || count > MAX_OPS_PER_COMPOUND) {
    const tooMany = minor > 0 ? Status.TOO_MANY_OPS : Status.RESOURCE;
    hw.patchU32(statusAt, minor > MAX_MINOR_VERSION ? Status.MINOR_VERS_MISMATCH : tooMany);
    return { kind: 'success', body: hw.finish() };
  }
  const w = new XdrWriter(1024);
  const c: Compound = {
    server, call, minor, opCount: count,
    lc: { clientAddress: call.conn.clientAddress, localAddress: call.conn.localAddress },
  };
  let status: number = Status.OK;
  let done = 0;
  const trace = server.logger?.isLevelEnabled('trace') ? { ops: [] as number[], start: performance.now() } : undefined;
  try {
    for (let i = 0; i < count && status === Status.OK; i++) {
      let op: number;
      try {
        op = r.u32();
      } catch {
        return { kind: 'garbage_args' };
      }
      const res = await runOp(c, op, i);
      trace?.ops.push(op);
      if (c.replay) return { kind: 'success', body: c.replay };
      w.u32(res.op);
      w.u32(res.result.status);
      res.result.encode?.(w);
      status = res.result.status;
      done++;
    }
    hw.patchU32(statusAt, status);
    hw.patchU32(countAt, done);
    if (trace) server.logger?.trace({ minor, ops: trace.ops, status, ms: +(performance.now() - trace.start).toFixed(2) }, 'nfs4 compound');
    const body = [hw.finish(), ...w.finishSegments()];
    if (c.session && c.slotid !== undefined) {
      const length = body.reduce((n, b) => n + b.length, 0);
      const cache = c.cacheThis || length < ALWAYS_CACHE_BELOW;
      c.session.finish(c.slotid, cache ? Buffer.concat(body) : undefined);
      c.slotid = undefined;
    }
    return { kind: 'success', body };
  } finally {
    if (c.session && c.slotid !== undefined) c.session.finish(c.slotid, undefined);
  }
}
