// LOCK, LOCKT, LOCKU and RELEASE_LOCKOWNER (RFC 8881 §18.10-18.12, RFC 7530 §16.34): POSIX byte-range
// locks, conflicting across owners and clients; a conflict answers DENIED with the holder's owner.
import { LockType, ShareAccess, Status } from '../constants.ts';
import { ok, type Compound, type OpHandler, type OpResult } from '../compound.ts';
import { lockStateFor, openStateFor } from '../io-stateid.ts';
import { withOwnerSeqid } from '../owner-seqid.ts';
import { lengthOf, toRange, type LockRange } from '../state/byte-range-locks.ts';
import type { LockOwner, LockState, OpenState } from '../state/model.ts';
import { readStateid, writeStateid, type Stateid } from '../state/stateid.ts';
import { fail } from '../status.ts';
import type { XdrReader } from '../../xdr/reader.ts';

function isWrite(locktype: number): boolean {
  if (locktype < LockType.READ || locktype > LockType.WRITEW) fail(Status.INVAL);
  return locktype === LockType.WRITE || locktype === LockType.WRITEW;
}

function range(offset: bigint, length: bigint): { start: bigint; end: bigint } {
  const rg = toRange(offset, length);
  if (!rg) fail(Status.INVAL);
  return rg;
}

function denied(conflict: LockRange): OpResult {
  return {
    status: Status.DENIED,
    encode: (w) => {
      w.u64(conflict.start);
      w.u64(lengthOf(conflict));
      w.u32(conflict.write ? LockType.WRITE : LockType.READ);
      w.u64(conflict.holder.owner.client.clientid);
      w.opaque(conflict.holder.owner.owner);
    },
  };
}

type Locker =
  | { newOwner: true; openSeqid: number; openStateid: Stateid; lockSeqid: number; clientid: bigint; owner: Buffer }
  | { newOwner: false; lockStateid: Stateid; lockSeqid: number };

function readLocker(r: XdrReader): Locker {
  if (r.bool()) {
    return {
      newOwner: true, openSeqid: r.u32(), openStateid: readStateid(r), lockSeqid: r.u32(), clientid: r.u64(),
      owner: Buffer.from(r.opaque(1024)),
    };
  }
  return { newOwner: false, lockStateid: readStateid(r), lockSeqid: r.u32() };
}

function checkCurrentFile(c: Compound, st: OpenState | LockState): void {
  const cur = c.cur;
  if (!cur) fail(Status.NOFILEHANDLE);
  if (cur.kind === 'pseudo' || cur.exp.id !== st.node.exp.id || cur.ino !== st.node.ino) fail(Status.BAD_STATEID);
}

function applyLock(c: Compound, holder: LockState, write: boolean, reclaim: boolean, start: bigint, end: bigint): OpResult {
  const state = c.server.state;
  const client = holder.owner.client;
  const grace = state.inGrace();
  if (reclaim && (!grace || !client.mayReclaim || client.reclaimComplete)) fail(Status.NO_GRACE);
  if (!reclaim && grace) fail(Status.GRACE);
  if (write && !(holder.open.access & ShareAccess.WRITE)) fail(Status.OPENMODE);
  const conflict = state.locks.conflict(holder.fileKey, holder.owner.key, write, start, end);
  if (conflict) return denied(conflict);
  state.locks.lock(holder, write, start, end);
  holder.seqid++;
  const sid = { seqid: holder.seqid, other: holder.other };
  c.curStateid = sid;
  return ok((w) => writeStateid(w, sid));
}

export const lock: OpHandler = async (c, r) => {
  const write = isWrite(r.u32());
  const reclaim = r.bool();
  const { start, end } = range(r.u64(), r.u64());
  const locker = readLocker(r);
  const state = c.server.state;
  if (locker.newOwner) {
    const open = openStateFor(c, locker.openStateid);
    checkCurrentFile(c, open);
    return withOwnerSeqid(c, open.owner, locker.openSeqid, async () => {
      const client = open.owner.client;
      if (c.minor === 0 && locker.clientid !== client.clientid) fail(Status.INVAL);
      const owner: LockOwner = state.lockOwner(client, locker.owner);
      const holder = state.lockStateFor(owner, open) ?? state.addLock(owner, open);
      return withOwnerSeqid(c, owner, locker.lockSeqid, async () => applyLock(c, holder, write, reclaim, start, end));
    });
  }
  const holder = lockStateFor(c, locker.lockStateid);
  checkCurrentFile(c, holder);
  return withOwnerSeqid(c, holder.owner, locker.lockSeqid, async () => applyLock(c, holder, write, reclaim, start, end));
};

export const lockt: OpHandler = async (c, r) => {
  const write = isWrite(r.u32());
  const { start, end } = range(r.u64(), r.u64());
  const clientid = r.u64();
  const owner = Buffer.from(r.opaque(1024));
  const cur = c.cur;
  if (!cur) fail(Status.NOFILEHANDLE);
  if (cur.kind === 'pseudo') fail(Status.ISDIR);
  const state = c.server.state;
  const client = c.session ? c.session.client : state.client(clientid);
  state.renew(client);
  if (state.inGrace()) fail(Status.GRACE);
  const conflict = state.locks.conflict(`${cur.exp.id}:${cur.ino}`, `${client.clientid}:${owner.toString('hex')}`, write, start, end);
  return conflict ? denied(conflict) : { status: Status.OK };
};

export const locku: OpHandler = async (c, r) => {
  isWrite(r.u32());
  const seqid = r.u32();
  const sid = readStateid(r);
  const { start, end } = range(r.u64(), r.u64());
  const holder = lockStateFor(c, sid);
  checkCurrentFile(c, holder);
  return withOwnerSeqid(c, holder.owner, seqid, async () => {
    c.server.state.locks.unlock(holder, start, end);
    holder.seqid++;
    const out = { seqid: holder.seqid, other: holder.other };
    c.curStateid = out;
    return ok((w) => writeStateid(w, out));
  });
};

export const releaseLockowner: OpHandler = async (c, r) => {
  const clientid = r.u64();
  const ownerBytes = Buffer.from(r.opaque(1024));
  const state = c.server.state;
  const client = state.client(clientid);
  state.renew(client);
  const owner = state.findLockOwner(client, ownerBytes);
  if (!owner) return { status: Status.OK };
  for (const l of owner.locks) if (state.locks.holds(l)) fail(Status.LOCKS_HELD);
  for (const l of [...owner.locks]) state.dropLock(l);
  client.lockOwners.delete(owner.key);
  return { status: Status.OK };
};
