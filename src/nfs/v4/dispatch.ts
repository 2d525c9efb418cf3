// Operation number → handler, per minor version (RFC 8881 §16.2.3: 4.0-only ops are NOTSUPP in 4.1+).
import { Op } from './constants.ts';
import type { OpHandler } from './compound.ts';
import { access } from './ops/access.ts';
import { allocate, deallocate } from './ops/allocate.ts';
import { close, openConfirm, openDowngrade } from './ops/close.ts';
import { commit } from './ops/commit.ts';
import { create } from './ops/create.ts';
import { createSession } from './ops/create-session.ts';
import { exchangeId } from './ops/exchange-id.ts';
import { getattr } from './ops/getattr.ts';
import { getfh } from './ops/getfh.ts';
import { link } from './ops/link.ts';
import { lock, lockt, locku, releaseLockowner } from './ops/lock.ts';
import { lookup, lookupp } from './ops/lookup.ts';
import { open } from './ops/open.ts';
import { putfh, putrootfh } from './ops/putfh.ts';
import { read } from './ops/read.ts';
import { readdir } from './ops/readdir.ts';
import { readlink } from './ops/readlink.ts';
import { remove } from './ops/remove.ts';
import { rename } from './ops/rename.ts';
import { restorefh, savefh } from './ops/savefh.ts';
import { secinfo, secinfoNoName } from './ops/secinfo.ts';
import { seek } from './ops/seek.ts';
import { sequence } from './ops/sequence.ts';
import { bindConnToSession, destroyClientid, destroySession, reclaimComplete } from './ops/session-control.ts';
import { setattr } from './ops/setattr.ts';
import { renew, setclientid, setclientidConfirm } from './ops/setclientid.ts';
import { delegreturn, freeStateid, notsupp, testStateid } from './ops/stateid-ops.ts';
import { verify, nverify } from './ops/verify.ts';
import { write } from './ops/write.ts';
import { MAX_OP_BY_MINOR } from './constants.ts';

const COMMON = new Map<number, OpHandler>([
  [Op.ACCESS, access], [Op.CLOSE, close], [Op.COMMIT, commit], [Op.CREATE, create],
  [Op.DELEGPURGE, notsupp], [Op.DELEGRETURN, delegreturn], [Op.GETATTR, getattr], [Op.GETFH, getfh],
  [Op.LINK, link], [Op.LOCK, lock], [Op.LOCKT, lockt], [Op.LOCKU, locku], [Op.LOOKUP, lookup],
  [Op.LOOKUPP, lookupp], [Op.NVERIFY, nverify], [Op.OPEN, open], [Op.OPENATTR, notsupp],
  [Op.OPEN_DOWNGRADE, openDowngrade], [Op.PUTFH, putfh], [Op.PUTPUBFH, putrootfh],
  [Op.PUTROOTFH, putrootfh], [Op.READ, read], [Op.READDIR, readdir], [Op.READLINK, readlink],
  [Op.REMOVE, remove], [Op.RENAME, rename], [Op.RESTOREFH, restorefh], [Op.SAVEFH, savefh],
  [Op.SECINFO, secinfo], [Op.SETATTR, setattr], [Op.VERIFY, verify], [Op.WRITE, write],
]);

const V40_ONLY = new Map<number, OpHandler>([
  [Op.OPEN_CONFIRM, openConfirm], [Op.RENEW, renew], [Op.SETCLIENTID, setclientid],
  [Op.SETCLIENTID_CONFIRM, setclientidConfirm], [Op.RELEASE_LOCKOWNER, releaseLockowner],
]);

const V41 = new Map<number, OpHandler>([
  [Op.BACKCHANNEL_CTL, notsupp], [Op.BIND_CONN_TO_SESSION, bindConnToSession], [Op.EXCHANGE_ID, exchangeId],
  [Op.CREATE_SESSION, createSession], [Op.DESTROY_SESSION, destroySession], [Op.FREE_STATEID, freeStateid],
  [Op.GET_DIR_DELEGATION, notsupp], [Op.GETDEVICEINFO, notsupp], [Op.GETDEVICELIST, notsupp],
  [Op.LAYOUTCOMMIT, notsupp], [Op.LAYOUTGET, notsupp], [Op.LAYOUTRETURN, notsupp],
  [Op.SECINFO_NO_NAME, secinfoNoName], [Op.SEQUENCE, sequence], [Op.SET_SSV, notsupp],
  [Op.TEST_STATEID, testStateid], [Op.WANT_DELEGATION, notsupp], [Op.DESTROY_CLIENTID, destroyClientid],
  [Op.RECLAIM_COMPLETE, reclaimComplete],
]);

const V42 = new Map<number, OpHandler>([
  [Op.ALLOCATE, allocate], [Op.DEALLOCATE, deallocate], [Op.SEEK, seek],
]);

/** undefined means OP_ILLEGAL: not an operation of this minor version. */
export function handlerFor(op: number, minor: number): OpHandler | undefined {
  if (op > MAX_OP_BY_MINOR[minor]) return undefined;
  const h = COMMON.get(op) ?? (minor === 0 ? V40_ONLY.get(op) : V41.get(op) ?? (minor >= 2 ? V42.get(op) : undefined));
  if (h) return h;
  if (minor > 0 && V40_ONLY.has(op)) return notsupp;
  // Defined for this minor version but not implemented (e.g. 4.2 COPY, CLONE, READ_PLUS).
  return op >= Op.ACCESS ? notsupp : undefined;
}
