// NFSv4.0 open-owner / lock-owner sequencing (RFC 7530 §9.1.7): seqid last+1 runs the op, seqid == last
// replays the stored reply, anything else is BAD_SEQID. NFSv4.1 replaces this with session slots.
import { XdrWriter } from '../xdr/writer.ts';
import { Status } from './constants.ts';
import type { Compound, OpResult } from './compound.ts';
import type { SeqidMemory } from './state/model.ts';
import { fail, statusOf } from './status.ts';

/** Errors that do not consume a seqid (RFC 7530 §9.1.7). */
const NON_ADVANCING = new Set<number>([
  Status.STALE_CLIENTID, Status.STALE_STATEID, Status.BAD_STATEID, Status.BAD_SEQID, Status.BADXDR,
  Status.RESOURCE, Status.NOFILEHANDLE, Status.MOVED,
]);

export async function withOwnerSeqid(c: Compound, mem: SeqidMemory, seqid: number, run: () => Promise<OpResult>): Promise<OpResult> {
  if (c.minor > 0) return run();
  if (mem.lastSeqid !== undefined && seqid === mem.lastSeqid && mem.lastReply) {
    const { status, body } = mem.lastReply;
    return { status, encode: (w) => w.fixedOpaque(body) };
  }
  if (mem.lastSeqid !== undefined && seqid !== ((mem.lastSeqid + 1) >>> 0)) fail(Status.BAD_SEQID);
  let result: OpResult;
  try {
    result = await run();
  } catch (e) {
    const { status, unexpected } = statusOf(e);
    if (unexpected) throw e;
    result = { status };
  }
  if (!NON_ADVANCING.has(result.status)) {
    const w = new XdrWriter(64);
    result.encode?.(w);
    mem.lastSeqid = seqid;
    mem.lastReply = { status: result.status, body: Buffer.from(w.finish()) };
  }
  return result;
}
