// EXCHANGE_ID (RFC 8881 §18.35): creates or finds the client record for an owner. A new verifier from a
// known owner means the client rebooted: a new record that replaces the old one when its session is created.
import os from 'node:os';
import { ExchgId, Status } from '../constants.ts';
import { ok, type Compound, type OpHandler } from '../compound.ts';
import type { ClientRecord } from '../state/model.ts';
import { fail } from '../status.ts';
import type { XdrReader } from '../../xdr/reader.ts';

const SP4_NONE = 0;
const SP4_MACH_CRED = 1;

function skipStateProtect(r: XdrReader): void {
  const how = r.u32();
  if (how === SP4_NONE) return;
  if (how === SP4_MACH_CRED) {
    for (let i = 0, n = r.u32(); i < n; i++) r.u32();
    for (let i = 0, n = r.u32(); i < n; i++) r.u32();
    return;
  }
  fail(Status.NOTSUPP, 'SP4_SSV');
}

function skipImplId(r: XdrReader): void {
  const n = r.u32();
  if (n > 1) fail(Status.BADXDR);
  for (let i = 0; i < n; i++) {
    r.string(1024);
    r.string(1024);
    r.i64();
    r.u32();
  }
}

function pick(c: Compound, ownerKey: string, verifier: Buffer, update: boolean): ClientRecord {
  const state = c.server.state;
  const records = state.byOwner(ownerKey);
  const confirmed = records.find((r) => r.confirmed);
  if (update) {
    if (!confirmed) fail(Status.NOENT);
    if (!confirmed.verifier.equals(verifier)) fail(Status.NOT_SAME);
    return confirmed;
  }
  if (confirmed && confirmed.verifier.equals(verifier)) return confirmed;
  for (const u of records) if (!u.confirmed) state.removeClient(u, 'destroyed');
  return state.newClient(ownerKey, verifier, c.minor);
}

export const exchangeId: OpHandler = async (c, r) => {
  const verifier = Buffer.from(r.fixedOpaque(8));
  const ownerId = r.opaque(1024);
  const flags = r.u32();
  skipStateProtect(r);
  skipImplId(r);
  if (flags & ~(ExchgId.SUPP_MOVED_REFER | ExchgId.SUPP_MOVED_MIGR | ExchgId.BIND_PRINC_STATEID | ExchgId.MASK_PNFS | ExchgId.UPD_CONFIRMED_REC_A)) {
    fail(Status.INVAL);
  }
  const client = pick(c, ownerId.toString('hex'), verifier, (flags & ExchgId.UPD_CONFIRMED_REC_A) !== 0);
  c.server.state.renew(client);
  const outFlags = (ExchgId.USE_NON_PNFS | (client.confirmed ? ExchgId.CONFIRMED_R : 0)) >>> 0;
  const scope = Buffer.from(`fathom:${os.hostname()}`);
  return ok((w) => {
    w.u64(client.clientid);
    w.u32(client.createSessionSeq);
    w.u32(outFlags);
    w.u32(SP4_NONE);
    w.u64(0); // so_minor_id
    w.opaque(scope); // so_major_id: one server, so trunking across connections is allowed
    w.opaque(scope);
    w.u32(1);
    w.string('fathom');
    w.string('Fathom NFS');
    w.i64(Math.floor(c.server.bootTime / 1000));
    w.u32(0);
  });
};
