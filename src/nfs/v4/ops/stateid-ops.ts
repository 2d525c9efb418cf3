// TEST_STATEID, FREE_STATEID (RFC 8881 §18.48, §18.38) and DELEGRETURN (no delegations are ever granted).
import { Status } from '../constants.ts';
import { OK, ok, type OpHandler } from '../compound.ts';
import { effectiveStateid } from '../io-stateid.ts';
import { isSpecial, readStateid } from '../state/stateid.ts';
import { fail, statusOf } from '../status.ts';

export const testStateid: OpHandler = async (c, r) => {
  const n = r.u32();
  if (n > 1024) fail(Status.BADXDR);
  const sids = Array.from({ length: n }, () => readStateid(r));
  const results = sids.map((sid) => {
    if (isSpecial(sid)) return Status.BAD_STATEID;
    try {
      const st = c.server.state.resolve(sid, c.minor);
      return c.session && st.owner.client !== c.session.client ? Status.BAD_STATEID : Status.OK;
    } catch (e) {
      return statusOf(e).status;
    }
  });
  return ok((w) => {
    w.u32(results.length);
    for (const s of results) w.u32(s);
  });
};

export const freeStateid: OpHandler = async (c, r) => {
  const sid = effectiveStateid(c, readStateid(r));
  const state = c.server.state;
  const st = state.resolve(sid, c.minor);
  if (c.session && st.owner.client !== c.session.client) fail(Status.BAD_STATEID);
  if (st.kind === 'open' || state.locks.holds(st)) fail(Status.LOCKS_HELD);
  state.dropLock(st);
  return OK;
};

export const delegreturn: OpHandler = async (c, r) => {
  readStateid(r);
  if (!c.cur) fail(Status.NOFILEHANDLE);
  return fail(Status.BAD_STATEID);
};

export const notsupp: OpHandler = async () => fail(Status.NOTSUPP);
