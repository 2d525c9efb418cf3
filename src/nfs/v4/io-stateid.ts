// Stateid checks shared by ops that take one: the 4.1 "current stateid", special stateids, and whether
// the named open (or lock) covers this file with the needed access.
import { ShareAccess, Status } from './constants.ts';
import type { Compound } from './compound.ts';
import type { ObjectNode } from './node.ts';
import type { LockState, OpenState, StateEntry } from './state/model.ts';
import { isCurrentStateid, isSpecial, type Stateid } from './state/stateid.ts';
import { fail } from './status.ts';

/** Replaces the 4.1 current-stateid placeholder with the stateid an earlier op of this COMPOUND produced. */
export function effectiveStateid(c: Compound, sid: Stateid): Stateid {
  if (c.minor === 0 || !isCurrentStateid(sid)) return sid;
  if (!c.curStateid) fail(Status.BAD_STATEID);
  return c.curStateid;
}

/**
 * The state a non-special stateid names, renewing its client's lease (NFSv4.0 implicit renewal). Another
 * session's client's stateid, or an open not yet confirmed by OPEN_CONFIRM, is BAD_STATEID.
 */
export function stateFor(c: Compound, sid: Stateid, allowUnconfirmed = false): StateEntry {
  const st = c.server.state.resolve(effectiveStateid(c, sid), c.minor);
  const client = st.owner.client;
  if (c.session && c.session.client !== client) fail(Status.BAD_STATEID);
  if (st.kind === 'open' && !st.owner.confirmed && !allowUnconfirmed) fail(Status.BAD_STATEID);
  c.server.state.renew(client);
  return st;
}

export function openStateFor(c: Compound, sid: Stateid, allowUnconfirmed = false): OpenState {
  const st = stateFor(c, sid, allowUnconfirmed);
  if (st.kind !== 'open') fail(Status.BAD_STATEID);
  return st;
}

export function lockStateFor(c: Compound, sid: Stateid): LockState {
  const st = stateFor(c, sid);
  if (st.kind !== 'lock') fail(Status.BAD_STATEID);
  return st;
}

export function openOf(st: StateEntry): OpenState {
  return st.kind === 'open' ? st : st.open;
}

/**
 * READ/WRITE/SETATTR(size)/SEEK/ALLOCATE: special stateids pass (undefined); others must name an open of
 * this file (with write access when writing), which is returned.
 */
export function checkIoStateid(c: Compound, sid: Stateid, node: ObjectNode, write: boolean): OpenState | undefined {
  if (isSpecial(sid)) return undefined;
  const st = stateFor(c, sid);
  if (st.node.exp.id !== node.exp.id || st.node.ino !== node.ino) fail(Status.BAD_STATEID);
  const open = openOf(st);
  if (write && !(open.access & ShareAccess.WRITE)) fail(Status.OPENMODE);
  return open;
}
