// SEQUENCE (RFC 8881 §18.46): the slot table decides new request / cached replay / error; a new request
// renews the lease. The COMPOUND loop stores the reply in the slot when it finishes.
import { Status } from '../constants.ts';
import { ok, type OpHandler } from '../compound.ts';
import { fail } from '../status.ts';

export const sequence: OpHandler = async (c, r) => {
  const sessionid = Buffer.from(r.fixedOpaque(16));
  const seqid = r.u32();
  const slotid = r.u32();
  r.u32(); // sa_highest_slotid: the client's own bookkeeping
  const cacheThis = r.bool();
  const session = c.server.state.session(sessionid);
  if (c.opCount > session.fore.maxOperations) fail(Status.TOO_MANY_OPS);
  const decision = session.begin(slotid, seqid);
  if (decision.kind === 'replay') {
    c.replay = decision.reply;
    return { status: Status.OK };
  }
  if (decision.kind === 'error') {
    const status = { badslot: Status.BADSLOT, misordered: Status.SEQ_MISORDERED, delay: Status.DELAY, uncached: Status.RETRY_UNCACHED_REP }[decision.status];
    fail(status);
  }
  c.session = session;
  c.slotid = slotid;
  c.cacheThis = cacheThis;
  c.server.state.renew(session.client);
  const highest = session.highestSlot();
  return ok((w) => {
    w.fixedOpaque(sessionid);
    w.u32(seqid);
    w.u32(slotid);
    w.u32(highest);
    w.u32(highest);
    w.u32(0); // sr_status_flags: no callback path is expected, so nothing to report
  });
};
