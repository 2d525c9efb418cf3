// The records NFSv4 state is made of: clients, their sessions, open and lock owners, and stateids.
import type { ObjectNode } from '../node.ts';
import type { Session } from './session.ts';

/** NFSv4.0 owner sequencing: the last seqid and the reply it produced, replayed on a retransmission. */
export interface SeqidMemory {
  lastSeqid?: number;
  lastReply?: { status: number; body: Buffer };
}

export interface ClientRecord {
  clientid: bigint;
  /** co_ownerid / nfs_client_id4.id as hex: the client's identity across its reboots. */
  ownerKey: string;
  verifier: Buffer;
  minor: number;
  confirmed: boolean;
  /** NFSv4.0 SETCLIENTID_CONFIRM verifier. */
  confirmVerifier: Buffer;
  /** NFSv4.0 callback information: stored as the RFC requires, never used (we never dial clients). */
  callback?: { program: number; netid: string; addr: string; ident: number };
  /** NFSv4.0: an unconfirmed callback update for this already confirmed record (same clientid). */
  pendingFor?: ClientRecord;
  /** NFSv4.1 CREATE_SESSION sequencing and its one-entry reply cache. */
  createSessionSeq: number;
  lastCreateSession?: { seq: number; status: number; body: Buffer };
  lastRenew: number;
  reclaimComplete: boolean;
  /** Known from before the restart: may reclaim during the grace period. */
  mayReclaim: boolean;
  sessions: Set<Session>;
  openOwners: Map<string, OpenOwner>;
  lockOwners: Map<string, LockOwner>;
}

export interface OpenOwner extends SeqidMemory {
  key: string;
  owner: Buffer;
  client: ClientRecord;
  /** NFSv4.0: a new owner's first OPEN must be confirmed by OPEN_CONFIRM. */
  confirmed: boolean;
  opens: Set<OpenState>;
}

export interface LockOwner extends SeqidMemory {
  key: string;
  owner: Buffer;
  client: ClientRecord;
  locks: Set<LockState>;
}

interface StateBase {
  other: Buffer;
  seqid: number;
  node: ObjectNode;
  fileKey: string;
}

export interface OpenState extends StateBase {
  kind: 'open';
  owner: OpenOwner;
  access: number;
  deny: number;
  /** Lock stateids derived from this open (freed with it). */
  locks: Set<LockState>;
  /** UNSTABLE data written through this open and not yet COMMITted: CLOSE makes it durable. */
  uncommitted: boolean;
}

export interface LockState extends StateBase {
  kind: 'lock';
  owner: LockOwner;
  open: OpenState;
}

export type StateEntry = OpenState | LockState;
