// All NFSv4 state of one server: clients and leases, sessions, open/lock owners, stateids, share
// reservations, byte-range locks, and the grace period after a restart.
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { Status } from '../constants.ts';
import type { ObjectNode } from '../node.ts';
import { fileKey } from '../node.ts';
import { fail } from '../status.ts';
import { ByteRangeLocks } from './byte-range-locks.ts';
import { ClientPersistence } from './client-persistence.ts';
import type { ClientRecord, LockOwner, LockState, OpenOwner, OpenState, StateEntry } from './model.ts';
import { Session, type ChannelAttrs } from './session.ts';
import { IdSource, type Stateid } from './stateid.ts';

export interface StateOptions {
  stateDir?: string;
  leaseSeconds: number;
  graceSeconds: number;
  logger?: Logger;
  /** Called when an open goes away without CLOSE (lease expiry, client reboot), to release the inode. */
  onOpenDropped: (open: OpenState) => void;
  now?: () => number;
}

/** How many stateids of expired clients we remember, to answer EXPIRED rather than BAD_STATEID. */
const EXPIRED_MEMORY = 10_000;

export class Nfs4State {
  /** Random per server instance: ids from an earlier instance never collide with new ones. */
  readonly ids = new IdSource(crypto.randomInt(1, 0xffffffff));
  readonly locks = new ByteRangeLocks();
  private readonly clients = new Map<bigint, ClientRecord>();
  private readonly sessions = new Map<string, Session>();
  private readonly states = new Map<string, StateEntry>();
  private readonly opensByFile = new Map<string, Set<OpenState>>();
  private readonly expiredOthers = new Set<string>();
  private readonly expiredClients = new Set<bigint>();
  private readonly persistence: ClientPersistence;
  private readonly reclaimable: Set<string>;
  private graceEnds: number;
  private readonly timer: NodeJS.Timeout;
  readonly now: () => number;

  constructor(readonly opts: StateOptions) {
    this.now = opts.now ?? Date.now;
    this.persistence = new ClientPersistence(opts.stateDir);
    this.reclaimable = this.persistence.load();
    // A server that knew no clients has nothing to protect: it skips the grace period.
    this.graceEnds = this.reclaimable.size > 0 ? this.now() + opts.graceSeconds * 1000 : 0;
    if (this.graceEnds) opts.logger?.info({ clients: this.reclaimable.size, graceSeconds: opts.graceSeconds }, 'nfs4 grace period');
    this.timer = setInterval(() => this.expireLeases(), Math.max(250, (opts.leaseSeconds * 1000) / 4));
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  get leaseSeconds(): number {
    return this.opts.leaseSeconds;
  }

  inGrace(): boolean {
    if (this.graceEnds && this.now() >= this.graceEnds) this.endGrace();
    return this.graceEnds !== 0;
  }

  private endGrace(): void {
    this.graceEnds = 0;
    this.reclaimable.clear();
    this.persist();
    this.opts.logger?.info('nfs4 grace period over');
  }

  // ---- clients ----------------------------------------------------------------------------------------

  newClient(ownerKey: string, verifier: Buffer, minor: number, reuseId?: bigint): ClientRecord {
    const c: ClientRecord = {
      clientid: reuseId ?? this.ids.clientid(), ownerKey, verifier: Buffer.from(verifier), minor,
      confirmed: false, confirmVerifier: crypto.randomBytes(8), createSessionSeq: 1,
      lastRenew: this.now(), reclaimComplete: false, mayReclaim: this.reclaimable.has(ownerKey),
      sessions: new Set(), openOwners: new Map(), lockOwners: new Map(),
    };
    if (reuseId === undefined) this.clients.set(c.clientid, c);
    return c;
  }

  /** Records with this owner (at most one confirmed and one unconfirmed). */
  byOwner(ownerKey: string): ClientRecord[] {
    return [...this.clients.values()].filter((c) => c.ownerKey === ownerKey);
  }

  /** The client with this id, or STALE_CLIENTID (unknown / from an earlier boot) / EXPIRED. */
  client(clientid: bigint): ClientRecord {
    const c = this.clients.get(clientid);
    if (c) return c;
    if (this.expiredClients.has(clientid)) fail(Status.EXPIRED);
    fail(Status.STALE_CLIENTID);
  }

  /** NFSv4.0: the unconfirmed record a SETCLIENTID_CONFIRM for this clientid refers to. */
  byOwnerPending(clientid: bigint): ClientRecord | undefined {
    for (const c of this.clients.values()) {
      if (c.confirmed) continue;
      if (c.clientid === clientid || c.pendingFor?.clientid === clientid) return c;
    }
    return undefined;
  }

  findClient(clientid: bigint): ClientRecord | undefined {
    return this.clients.get(clientid);
  }

  renew(c: ClientRecord): void {
    c.lastRenew = this.now();
  }

  confirm(c: ClientRecord): void {
    // A confirmed record of the same owner with another id is that client's previous incarnation.
    for (const other of this.byOwner(c.ownerKey)) if (other !== c && other.confirmed) this.removeClient(other, 'rebooted');
    c.confirmed = true;
    this.persist();
  }

  /** Replaces an unconfirmed record's content in place (SETCLIENTID retried with a new verifier). */
  removeClient(c: ClientRecord, why: 'destroyed' | 'expired' | 'rebooted'): void {
    for (const s of c.sessions) this.sessions.delete(s.id.toString('hex'));
    c.sessions.clear();
    for (const owner of c.openOwners.values()) for (const open of [...owner.opens]) this.dropOpen(open, why === 'expired');
    for (const lo of c.lockOwners.values()) for (const l of [...lo.locks]) this.dropLock(l, why === 'expired');
    c.openOwners.clear();
    c.lockOwners.clear();
    this.clients.delete(c.clientid);
    if (why === 'expired') this.rememberExpired(c.clientid);
    if (c.confirmed) this.persist();
    this.opts.logger?.info({ clientid: c.clientid.toString(16), why }, 'nfs4 client removed');
  }

  private rememberExpired(clientid: bigint): void {
    if (this.expiredClients.size >= EXPIRED_MEMORY) this.expiredClients.clear();
    this.expiredClients.add(clientid);
  }

  /** Lease expiry (RFC 8881 §8.3): a client that did not renew in time loses all its state. */
  expireLeases(): void {
    const deadline = this.now() - this.opts.leaseSeconds * 1000;
    for (const c of [...this.clients.values()]) if (c.lastRenew < deadline) this.removeClient(c, 'expired');
    this.inGrace();
  }

  private persist(): void {
    const owners = new Set(this.reclaimable);
    for (const c of this.clients.values()) if (c.confirmed) owners.add(c.ownerKey);
    try {
      this.persistence.save(owners);
    } catch (e) {
      this.opts.logger?.error({ err: e }, 'cannot persist nfs4 client records');
    }
  }

  /** RECLAIM_COMPLETE: grace ends early once every client that could reclaim has said it is done. */
  reclaimDone(c: ClientRecord): void {
    c.reclaimComplete = true;
    this.reclaimable.delete(c.ownerKey);
    if (this.graceEnds && this.reclaimable.size === 0) this.endGrace();
  }

  // ---- sessions ---------------------------------------------------------------------------------------

  createSession(c: ClientRecord, fore: ChannelAttrs, back: ChannelAttrs, flags: number): Session {
    const s = new Session(crypto.randomBytes(16), c, fore, back, flags);
    c.sessions.add(s);
    this.sessions.set(s.id.toString('hex'), s);
    return s;
  }

  session(id: Buffer): Session {
    const s = this.sessions.get(id.toString('hex'));
    if (!s) fail(Status.BADSESSION);
    return s;
  }

  destroySession(s: Session): void {
    this.sessions.delete(s.id.toString('hex'));
    s.client.sessions.delete(s);
  }

  // ---- owners -----------------------------------------------------------------------------------------

  openOwner(c: ClientRecord, owner: Buffer): OpenOwner {
    const key = `${c.clientid}:${owner.toString('hex')}`;
    let o = c.openOwners.get(key);
    if (!o) {
      o = { key, owner: Buffer.from(owner), client: c, confirmed: c.minor > 0, opens: new Set() };
      c.openOwners.set(key, o);
    }
    return o;
  }

  lockOwner(c: ClientRecord, owner: Buffer): LockOwner {
    const key = `${c.clientid}:${owner.toString('hex')}`;
    let o = c.lockOwners.get(key);
    if (!o) {
      o = { key, owner: Buffer.from(owner), client: c, locks: new Set() };
      c.lockOwners.set(key, o);
    }
    return o;
  }

  findLockOwner(c: ClientRecord, owner: Buffer): LockOwner | undefined {
    return c.lockOwners.get(`${c.clientid}:${owner.toString('hex')}`);
  }

  // ---- stateids ---------------------------------------------------------------------------------------

  /**
   * The state a client-supplied stateid names, checked against the current seqid (0 = "current" in 4.1):
   * BAD_STATEID, OLD_STATEID, STALE_STATEID (earlier boot), EXPIRED (lease lost).
   */
  resolve(sid: Stateid, minor: number): StateEntry {
    const key = sid.other.toString('hex');
    const st = this.states.get(key);
    if (!st) {
      if (this.expiredOthers.has(key)) fail(Status.EXPIRED);
      if (!this.ids.isOurStateid(sid.other)) fail(minor === 0 ? Status.STALE_STATEID : Status.BAD_STATEID);
      fail(Status.BAD_STATEID);
    }
    if (minor > 0 && sid.seqid === 0) return st;
    if (sid.seqid > st.seqid) fail(Status.BAD_STATEID);
    if (sid.seqid < st.seqid) fail(Status.OLD_STATEID);
    return st;
  }

  /** The opens of the file: share reservation checks, and an owner opening it again. */
  opensOf(node: ObjectNode): OpenState[] {
    return [...(this.opensByFile.get(fileKey(node)) ?? [])];
  }

  addOpen(owner: OpenOwner, node: ObjectNode, access: number, deny: number): OpenState {
    const open: OpenState = {
      kind: 'open', other: this.ids.stateOther(), seqid: 1, node, fileKey: fileKey(node), owner, access,
      deny, locks: new Set(), uncommitted: false,
    };
    owner.opens.add(open);
    this.states.set(open.other.toString('hex'), open);
    const set = this.opensByFile.get(open.fileKey) ?? new Set();
    set.add(open);
    this.opensByFile.set(open.fileKey, set);
    return open;
  }

  /** CLOSE / expiry: frees the open and every lock stateid derived from it. */
  dropOpen(open: OpenState, expired = false): void {
    for (const l of [...open.locks]) this.dropLock(l, expired);
    open.owner.opens.delete(open);
    // 4.1 owners carry no seqid memory: forget them with their last open (4.0 ones keep it for replays).
    if (open.owner.opens.size === 0 && open.owner.client.minor > 0) open.owner.client.openOwners.delete(open.owner.key);
    const key = open.other.toString('hex');
    this.states.delete(key);
    if (expired) this.rememberExpiredState(key);
    const set = this.opensByFile.get(open.fileKey);
    set?.delete(open);
    if (set && set.size === 0) this.opensByFile.delete(open.fileKey);
    this.opts.onOpenDropped(open);
  }

  addLock(owner: LockOwner, open: OpenState): LockState {
    const l: LockState = {
      kind: 'lock', other: this.ids.stateOther(), seqid: 0, node: open.node, fileKey: open.fileKey, owner, open,
    };
    owner.locks.add(l);
    open.locks.add(l);
    this.states.set(l.other.toString('hex'), l);
    return l;
  }

  /** Among the open's lock stateids (one per lock owner), not the owner's: one owner may lock many files. */
  lockStateFor(owner: LockOwner, open: OpenState): LockState | undefined {
    for (const l of open.locks) if (l.owner === owner) return l;
    return undefined;
  }

  dropLock(l: LockState, expired = false): void {
    this.locks.dropHolder(l);
    l.owner.locks.delete(l);
    l.open.locks.delete(l);
    if (l.owner.locks.size === 0 && l.owner.client.minor > 0) l.owner.client.lockOwners.delete(l.owner.key);
    const key = l.other.toString('hex');
    this.states.delete(key);
    if (expired) this.rememberExpiredState(key);
  }

  private rememberExpiredState(key: string): void {
    if (this.expiredOthers.size >= EXPIRED_MEMORY) this.expiredOthers.clear();
    this.expiredOthers.add(key);
  }
}
