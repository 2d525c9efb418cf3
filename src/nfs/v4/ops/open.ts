// OPEN (RFC 8881 §18.16, RFC 7530 §16.16): every claim type and create mode, share reservations,
// grace-period rules, and NFSv4.0 owner sequencing. No delegation is ever granted.
import { R_OK, W_OK, type Attr, type SetAttr } from '../../../engine/index.ts';
import { EXCLCREAT_ATTRS, parseSetAttr, readFattr } from '../attrs.ts';
import { bitmapOf, writeBitmap } from '../bitmap.ts';
import { writeChangeInfo, type ChangeInfo } from '../change-info.ts';
import { CreateMode, OpenClaim, OpenFlags, ShareAccess, ShareDeny, Status } from '../constants.ts';
import { attrOf, callerOf, curNode, nodeFor, ok, requireWritable, type Compound, type OpHandler } from '../compound.ts';
import { readComponent } from '../names.ts';
import type { ObjectNode } from '../node.ts';
import { withOwnerSeqid } from '../owner-seqid.ts';
import type { ClientRecord, OpenOwner, OpenState } from '../state/model.ts';
import { readStateid, writeStateid } from '../state/stateid.ts';
import { fail } from '../status.ts';
import type { XdrReader } from '../../xdr/reader.ts';
import { withDirChange } from './dir-change.ts';

type How =
  | { create: false }
  | { create: true; mode: 'unchecked' | 'guarded'; attrs: ReturnType<typeof readFattr> }
  | { create: true; mode: 'exclusive'; verifier: Buffer; attrs?: ReturnType<typeof readFattr> };

type Claim =
  | { type: 'null'; name: string }
  | { type: 'fh' }
  | { type: 'previous' }
  | { type: 'deleg_cur' }
  | { type: 'deleg_prev' };

interface OpenArgs {
  seqid: number;
  access: number;
  deny: number;
  clientid: bigint;
  owner: Buffer;
  how: How;
  claim: Claim;
}

function readHow(r: XdrReader): How {
  if (r.u32() === 0) return { create: false };
  const mode = r.u32();
  if (mode === CreateMode.UNCHECKED || mode === CreateMode.GUARDED) {
    return { create: true, mode: mode === CreateMode.GUARDED ? 'guarded' : 'unchecked', attrs: readFattr(r) };
  }
  if (mode === CreateMode.EXCLUSIVE) return { create: true, mode: 'exclusive', verifier: Buffer.from(r.fixedOpaque(8)) };
  if (mode === CreateMode.EXCLUSIVE4_1) {
    return { create: true, mode: 'exclusive', verifier: Buffer.from(r.fixedOpaque(8)), attrs: readFattr(r) };
  }
  return fail(Status.INVAL, `createmode ${mode}`);
}

function readClaim(r: XdrReader): Claim {
  const t = r.u32();
  switch (t) {
    case OpenClaim.NULL: return { type: 'null', name: readComponent(r) };
    case OpenClaim.PREVIOUS: r.u32(); return { type: 'previous' };
    case OpenClaim.DELEGATE_CUR: readStateid(r); readComponent(r); return { type: 'deleg_cur' };
    case OpenClaim.DELEGATE_PREV: readComponent(r); return { type: 'deleg_prev' };
    case OpenClaim.FH: return { type: 'fh' };
    case OpenClaim.DELEG_CUR_FH: readStateid(r); return { type: 'deleg_cur' };
    case OpenClaim.DELEG_PREV_FH: return { type: 'deleg_prev' };
    default: return fail(Status.INVAL, `claim ${t}`);
  }
}

function readOpenArgs(r: XdrReader): OpenArgs {
  const seqid = r.u32();
  // 4.1 puts delegation "want" flags in the upper bits of share_access; only the access bits matter here.
  const access = r.u32() & 0xff;
  const deny = r.u32();
  const clientid = r.u64();
  const owner = Buffer.from(r.opaque(1024));
  return { seqid, access, deny, clientid, owner, how: readHow(r), claim: readClaim(r) };
}

function checkShare(c: Compound, node: ObjectNode, owner: OpenOwner, access: number, deny: number): void {
  for (const o of c.server.state.opensOf(node)) {
    if (o.owner.key === owner.key) continue;
    if ((o.deny & access) || (o.access & deny)) fail(Status.SHARE_DENIED);
  }
}

/** Reclaims only from clients known before the restart, only while grace lasts. */
function checkGrace(c: Compound, client: ClientRecord, reclaim: boolean): void {
  const state = c.server.state;
  const grace = state.inGrace();
  if (reclaim) {
    if (!grace || !client.mayReclaim || client.reclaimComplete) fail(Status.NO_GRACE);
  } else if (grace) {
    fail(Status.GRACE);
  }
}

interface Target {
  node: ObjectNode;
  attr: Attr;
  created: boolean;
  cinfo: ChangeInfo;
  attrset: number[];
}

async function createOrLookup(c: Compound, dir: ObjectNode, name: string, how: How): Promise<Target> {
  const v = dir.exp.volume;
  const caller = callerOf(c, dir);
  if (!how.create) {
    const { result, cinfo } = await withDirChange(dir, () => v.lookup(caller, dir.ino, name));
    return { node: nodeFor(dir, result), attr: result, created: false, cinfo, attrset: [] };
  }
  requireWritable(dir);
  const parsed = how.attrs ? parseSetAttr(how.attrs, how.mode === 'exclusive' ? EXCLCREAT_ATTRS : undefined) : { set: {}, bits: [] };
  const set: SetAttr = parsed.set;
  const mode = set.mode ?? 0o644;
  const { result, cinfo } = await withDirChange(dir, () => v.create(caller, dir.ino, name, {
    mode,
    exclusive: how.mode === 'guarded',
    verifier: how.mode === 'exclusive' ? how.verifier : undefined,
    attrs: { ...set, mode: undefined, size: undefined },
  }));
  let attr = result.attr;
  // UNCHECKED on an existing file applies the given size (the O_TRUNC idiom).
  if (set.size !== undefined && (result.created || how.mode === 'unchecked')) {
    attr = await v.setattr(caller, attr.ino, { size: set.size });
  }
  return { node: nodeFor(dir, attr), attr, created: result.created, cinfo, attrset: result.created ? parsed.bits : [] };
}

async function target(c: Compound, a: OpenArgs): Promise<Target> {
  const cur = curNode(c);
  if (a.claim.type === 'null') {
    if (cur.kind === 'pseudo') return fail(a.how.create ? Status.ROFS : Status.NOENT);
    return createOrLookup(c, cur, a.claim.name, a.how);
  }
  if (a.claim.type === 'deleg_cur') return fail(Status.BAD_STATEID);
  if (a.claim.type === 'deleg_prev') return fail(c.server.state.inGrace() ? Status.RECLAIM_BAD : Status.NO_GRACE);
  if (cur.kind === 'pseudo') return fail(Status.ISDIR);
  const attr = await attrOf(cur);
  return { node: cur, attr, created: false, cinfo: { before: attr.change, after: attr.change }, attrset: [] };
}

async function checkOpenable(c: Compound, t: Target, access: number): Promise<void> {
  if (t.attr.type === 'dir') fail(Status.ISDIR);
  if (t.attr.type === 'symlink') fail(Status.SYMLINK);
  if (t.attr.type !== 'file') fail(c.minor > 0 ? Status.WRONG_TYPE : Status.INVAL);
  if (access & ShareAccess.WRITE) requireWritable(t.node);
  if (t.created) return;
  const want = (access & ShareAccess.READ ? R_OK : 0) | (access & ShareAccess.WRITE ? W_OK : 0);
  const have = await t.node.exp.volume.access(callerOf(c, t.node), t.node.ino, want);
  if ((have & want) !== want) fail(Status.ACCESS);
}

/**
 * Opening again with the same owner upgrades the existing open state (one stateid per owner and file). Found among
 * the file's opens, not the owner's: a Linux client opens every file of a user with one owner.
 */
function recordOpen(c: Compound, owner: OpenOwner, t: Target, access: number, deny: number): OpenState {
  const state = c.server.state;
  const existing = state.opensOf(t.node).find((o) => o.owner === owner);
  if (existing) {
    existing.access |= access;
    existing.deny |= deny;
    existing.seqid++;
    return existing;
  }
  t.node.exp.volume.retain(t.node.ino);
  return state.addOpen(owner, t.node, access, deny);
}

async function doOpen(c: Compound, a: OpenArgs, client: ClientRecord, owner: OpenOwner): Promise<ReturnType<typeof ok>> {
  if (a.access === 0 || a.access > ShareAccess.BOTH || a.deny > ShareDeny.BOTH) fail(Status.INVAL);
  checkGrace(c, client, a.claim.type === 'previous');
  const t = await target(c, a);
  await checkOpenable(c, t, a.access);
  checkShare(c, t.node, owner, a.access, a.deny);
  const open = recordOpen(c, owner, t, a.access, a.deny);
  c.cur = t.node;
  const sid = { seqid: open.seqid, other: open.other };
  c.curStateid = sid;
  const rflags = OpenFlags.LOCKTYPE_POSIX | (owner.confirmed ? 0 : OpenFlags.CONFIRM);
  return ok((w) => {
    writeStateid(w, sid);
    writeChangeInfo(w, t.cinfo);
    w.u32(rflags);
    writeBitmap(w, bitmapOf(t.attrset));
    w.u32(0); // OPEN_DELEGATE_NONE
  });
}

export const open: OpHandler = async (c, r) => {
  const a = readOpenArgs(r);
  const state = c.server.state;
  const client = c.session ? c.session.client : state.client(a.clientid);
  if (!client.confirmed) fail(Status.STALE_CLIENTID);
  state.renew(client);
  const owner = state.openOwner(client, a.owner);
  return withOwnerSeqid(c, owner, a.seqid, () => doOpen(c, a, client, owner));
};
