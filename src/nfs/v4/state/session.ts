// An NFSv4.1 session: a slot table whose per-slot reply cache gives exactly-once semantics (RFC 8881 §2.10.6).
import type { ClientRecord } from './model.ts';

export interface ChannelAttrs {
  headerPadSize: number;
  maxRequestSize: number;
  maxResponseSize: number;
  maxResponseSizeCached: number;
  maxOperations: number;
  maxRequests: number;
  rdmaIrd: number[];
}

interface Slot {
  /** 0 until the first request: seqids start at 1, so a 0 is misordered, not a retry. */
  seqid: number;
  inProgress: boolean;
  /** The whole COMPOUND reply of the last request on this slot, when it was cached. */
  reply?: Buffer;
}

export type SlotDecision =
  | { kind: 'new' }
  | { kind: 'replay'; reply: Buffer }
  | { kind: 'error'; status: 'badslot' | 'misordered' | 'delay' | 'uncached' };

export class Session {
  private readonly slots: Slot[];

  constructor(
    readonly id: Buffer,
    readonly client: ClientRecord,
    readonly fore: ChannelAttrs,
    readonly back: ChannelAttrs,
    readonly flags: number,
  ) {
    this.slots = Array.from({ length: fore.maxRequests }, () => ({ seqid: 0, inProgress: false }));
  }

  get slotCount(): number {
    return this.slots.length;
  }

  /** SEQUENCE: decides whether the request is new, a retry to answer from the cache, or an error. */
  begin(slotid: number, seqid: number): SlotDecision {
    const slot = this.slots[slotid];
    if (!slot) return { kind: 'error', status: 'badslot' };
    if (seqid === ((slot.seqid + 1) >>> 0)) {
      if (slot.inProgress) return { kind: 'error', status: 'delay' };
      slot.seqid = seqid;
      slot.inProgress = true;
      slot.reply = undefined;
      return { kind: 'new' };
    }
    if (seqid === slot.seqid && slot.seqid !== 0) {
      if (slot.inProgress) return { kind: 'error', status: 'delay' };
      return slot.reply ? { kind: 'replay', reply: slot.reply } : { kind: 'error', status: 'uncached' };
    }
    return { kind: 'error', status: 'misordered' };
  }

  /** The request on slotid finished; cache its reply if asked to. */
  finish(slotid: number, reply: Buffer | undefined): void {
    const slot = this.slots[slotid];
    if (!slot) return;
    slot.inProgress = false;
    slot.reply = reply ? Buffer.from(reply) : undefined;
  }

  highestSlot(): number {
    return this.slots.length - 1;
  }
}
