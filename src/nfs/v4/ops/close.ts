// CLOSE, OPEN_DOWNGRADE and OPEN_CONFIRM (RFC 8881 §18.2, §18.18; RFC 7530 §16.18): the life of an open
// stateid after OPEN. CLOSE makes UNSTABLE data written through the open durable (clients normally COMMIT
// first, so this is rarely needed and never pays for a metadata sync) and releases the engine's reference.
import { ShareAccess, ShareDeny, Status } from '../constants.ts';
import { ok, type Compound, type OpHandler } from '../compound.ts';
import { openStateFor } from '../io-stateid.ts';
import { withOwnerSeqid } from '../owner-seqid.ts';
import { INVALID_STATEID, readStateid, writeStateid, type Stateid } from '../state/stateid.ts';
import { fail } from '../status.ts';

function stateidResult(c: Compound, sid: Stateid): ReturnType<typeof ok> {
  c.curStateid = sid;
  return ok((w) => writeStateid(w, sid));
}

export const close: OpHandler = async (c, r) => {
  const seqid = r.u32();
  const sid = readStateid(r);
  const open = openStateFor(c, sid);
  return withOwnerSeqid(c, open.owner, seqid, async () => {
    for (const l of open.locks) if (c.server.state.locks.holds(l)) fail(Status.LOCKS_HELD);
    if (open.uncommitted) await open.node.exp.volume.commit(open.node.ino);
    c.server.state.dropOpen(open);
    // 4.1 clients get an invalid stateid back (RFC 8881 §18.2.4); 4.0 clients the bumped one.
    return stateidResult(c, c.minor > 0 ? INVALID_STATEID : { seqid: open.seqid + 1, other: open.other });
  });
};

export const openDowngrade: OpHandler = async (c, r) => {
  const sid = readStateid(r);
  const seqid = r.u32();
  const access = r.u32() & 0xff;
  const deny = r.u32();
  const open = openStateFor(c, sid);
  return withOwnerSeqid(c, open.owner, seqid, async () => {
    const subset = (access & ~open.access) === 0 && (deny & ~open.deny) === 0;
    if (!subset || access === 0 || access > ShareAccess.BOTH || deny > ShareDeny.BOTH) fail(Status.INVAL);
    open.access = access;
    open.deny = deny;
    open.seqid++;
    return stateidResult(c, { seqid: open.seqid, other: open.other });
  });
};

export const openConfirm: OpHandler = async (c, r) => {
  const sid = readStateid(r);
  const seqid = r.u32();
  const open = openStateFor(c, sid, true);
  return withOwnerSeqid(c, open.owner, seqid, async () => {
    if (open.owner.confirmed) fail(Status.BAD_STATEID);
    open.owner.confirmed = true;
    open.seqid++;
    return stateidResult(c, { seqid: open.seqid, other: open.other });
  });
};
