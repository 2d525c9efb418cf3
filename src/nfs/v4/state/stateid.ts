// stateid4 (RFC 8881 §8.2): seqid + 12 opaque bytes. Ours are the server instance's random epoch (4 bytes)
// and a counter (8 bytes), so a stateid from before a restart is recognisably STALE.
import type { XdrReader } from '../../xdr/reader.ts';
import type { XdrWriter } from '../../xdr/writer.ts';

export interface Stateid {
  seqid: number;
  other: Buffer;
}

export function readStateid(r: XdrReader): Stateid {
  return { seqid: r.u32(), other: Buffer.from(r.fixedOpaque(12)) };
}

export function writeStateid(w: XdrWriter, s: Stateid): void {
  w.u32(s.seqid);
  w.fixedOpaque(s.other);
}

const ZERO = Buffer.alloc(12);
const ONES = Buffer.alloc(12, 0xff);

/** The anonymous (all zero) and READ-bypass (all ones) special stateids. */
export function isSpecial(s: Stateid): boolean {
  return (s.seqid === 0 && s.other.equals(ZERO)) || (s.seqid === 0xffffffff && s.other.equals(ONES));
}

/** NFSv4.1 "current stateid" (seqid 1, other zero): the stateid the previous op in the COMPOUND produced. */
export function isCurrentStateid(s: Stateid): boolean {
  return s.seqid === 1 && s.other.equals(ZERO);
}

export const INVALID_STATEID: Stateid = Object.freeze({ seqid: 0xffffffff, other: ZERO });

/** Generates ids unique to this server instance (boot epoch in the high bits). */
export class IdSource {
  private counter = 0n;
  constructor(readonly epoch: number) {}

  clientid(): bigint {
    this.counter++;
    return (BigInt(this.epoch) << 32n) | (this.counter & 0xffffffffn);
  }

  stateOther(): Buffer {
    this.counter++;
    const b = Buffer.alloc(12);
    b.writeUInt32BE(this.epoch, 0);
    b.writeBigUInt64BE(this.counter, 4);
    return b;
  }

  isOurClientid(id: bigint): boolean {
    return Number(id >> 32n) === this.epoch;
  }

  isOurStateid(other: Buffer): boolean {
    return other.readUInt32BE(0) === this.epoch;
  }
}
