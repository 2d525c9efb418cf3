// DESTROY_SESSION, BIND_CONN_TO_SESSION, DESTROY_CLIENTID, RECLAIM_COMPLETE (RFC 8881 §18.37, §18.34,
// §18.50, §18.51): the rest of a 4.1 client's session life cycle.
import { Status } from '../constants.ts';
import { OK, ok, type OpHandler } from '../compound.ts';
import { fail } from '../status.ts';

export const destroySession: OpHandler = async (c, r) => {
  const id = Buffer.from(r.fixedOpaque(16));
  const session = c.server.state.session(id);
  c.server.state.destroySession(session);
  return OK;
};

const CDFC4_FORE = 0x1;
const CDFC4_FORE_OR_BOTH = 0x3;
const CDFC4_BACK_OR_BOTH = 0x7;
const CDFS4_FORE = 0x1;

export const bindConnToSession: OpHandler = async (c, r) => {
  const id = Buffer.from(r.fixedOpaque(16));
  const dir = r.u32();
  r.bool(); // use_conn_in_rdma_mode
  c.server.state.session(id);
  // Only the fore channel exists: a request for the back channel alone cannot be met.
  if (dir !== CDFC4_FORE && dir !== CDFC4_FORE_OR_BOTH && dir !== CDFC4_BACK_OR_BOTH) fail(Status.INVAL);
  return ok((w) => {
    w.fixedOpaque(id);
    w.u32(CDFS4_FORE);
    w.bool(false);
  });
};

export const destroyClientid: OpHandler = async (c, r) => {
  const clientid = r.u64();
  const state = c.server.state;
  const client = state.client(clientid);
  const others = [...client.sessions].filter((s) => s !== c.session);
  if (others.length > 0 || c.session?.client === client) fail(Status.CLIENTID_BUSY);
  state.removeClient(client, 'destroyed');
  return OK;
};

export const reclaimComplete: OpHandler = async (c, r) => {
  r.bool(); // rca_one_fs: all file systems at once either way
  const client = c.session?.client;
  if (!client) fail(Status.OP_NOT_IN_SESSION);
  if (client.reclaimComplete) fail(Status.COMPLETE_ALREADY);
  c.server.state.reclaimDone(client);
  return OK;
};
