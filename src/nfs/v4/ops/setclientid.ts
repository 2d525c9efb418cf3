// SETCLIENTID, SETCLIENTID_CONFIRM and RENEW (RFC 7530 §16.33, §16.34, §16.29): the NFSv4.0 client life
// cycle. Callback information is stored but never used: the server never connects to a client.
import { OK, ok, type OpHandler } from '../compound.ts';
import { Status } from '../constants.ts';
import { fail } from '../status.ts';

export const setclientid: OpHandler = async (c, r) => {
  const verifier = Buffer.from(r.fixedOpaque(8));
  const id = r.opaque(1024);
  const program = r.u32();
  const netid = r.string(64);
  const addr = r.string(256);
  const ident = r.u32();
  const state = c.server.state;
  const ownerKey = id.toString('hex');
  const records = state.byOwner(ownerKey);
  for (const u of records) if (!u.confirmed) state.removeClient(u, 'destroyed');
  const confirmed = records.find((x) => x.confirmed);
  // Same verifier: a callback update for the confirmed client (same clientid); otherwise a (re)boot.
  const sameClient = confirmed && confirmed.verifier.equals(verifier);
  const rec = state.newClient(ownerKey, verifier, 0);
  rec.callback = { program, netid, addr, ident };
  if (sameClient) rec.pendingFor = confirmed;
  return ok((w) => {
    w.u64(sameClient ? confirmed.clientid : rec.clientid);
    w.fixedOpaque(rec.confirmVerifier);
  });
};

export const setclientidConfirm: OpHandler = async (c, r) => {
  const clientid = r.u64();
  const verifier = Buffer.from(r.fixedOpaque(8));
  const state = c.server.state;
  const pending = state.byOwnerPending(clientid);
  if (pending && pending.confirmVerifier.equals(verifier)) {
    if (pending.pendingFor) {
      pending.pendingFor.callback = pending.callback;
      pending.pendingFor.confirmVerifier = pending.confirmVerifier;
      state.removeClient(pending, 'destroyed');
      state.renew(pending.pendingFor);
    } else {
      state.confirm(pending);
      state.renew(pending);
    }
    return OK;
  }
  const rec = state.findClient(clientid);
  // A retransmitted confirm of an already confirmed client succeeds again.
  if (rec && rec.confirmed && rec.confirmVerifier.equals(verifier)) return OK;
  return fail(Status.STALE_CLIENTID);
};

export const renew: OpHandler = async (c, r) => {
  const clientid = r.u64();
  const state = c.server.state;
  const client = state.client(clientid);
  if (!client.confirmed) fail(Status.STALE_CLIENTID);
  state.renew(client);
  return OK;
};
