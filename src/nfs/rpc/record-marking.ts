// TCP record marking (RFC 5531 section 11): 4-byte fragment headers, last-fragment bit, 31-bit length.
// A record is handed on as views of the chunks it arrived in, never copied: a 1 MiB WRITE spans ~17 socket reads,
// and assembling it in fresh memory cost more than everything else the server does with it (page faults + GC).

export const LAST_FRAGMENT = 0x8000_0000;

export class RecordTooLargeError extends Error {
  constructor(readonly size: number, readonly max: number) {
    super(`RPC record of at least ${size} bytes exceeds the maximum of ${max}`);
    this.name = 'RecordTooLargeError';
  }
}

export class RecordDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Segments of the record being assembled. */
  private segments: Buffer[] = [];
  private recordBytes = 0;
  /** Header of the fragment whose payload we are waiting for. */
  private pending: { length: number; last: boolean } | undefined;

  constructor(private readonly maxRecordBytes: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** Bytes received but not yet returned as records. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * The next complete record as the segments it arrived in, or undefined when more bytes are needed. Throws
   * RecordTooLargeError as soon as a fragment header announces more than the maximum, before that payload is buffered.
   */
  next(): Buffer[] | undefined {
    for (;;) {
      if (!this.pending) {
        if (this.buffered < 4) return undefined;
        const word = Buffer.concat(this.take(4), 4).readUInt32BE(0);
        const length = word & 0x7fff_ffff;
        if (this.recordBytes + length > this.maxRecordBytes) {
          throw new RecordTooLargeError(this.recordBytes + length, this.maxRecordBytes);
        }
        this.pending = { length, last: (word & LAST_FRAGMENT) !== 0 };
      }
      if (this.buffered < this.pending.length) return undefined;
      this.segments.push(...this.take(this.pending.length));
      this.recordBytes += this.pending.length;
      const last = this.pending.last;
      this.pending = undefined;
      if (last) {
        const record = this.segments;
        this.segments = [];
        this.recordBytes = 0;
        return record;
      }
    }
  }

  /** Removes n buffered bytes (n <= buffered), as views of the chunks they lie in. */
  private take(n: number): Buffer[] {
    this.buffered -= n;
    const out: Buffer[] = [];
    for (let left = n; left > 0;) {
      const c = this.chunks[0];
      const use = Math.min(c.length, left);
      out.push(use === c.length ? c : c.subarray(0, use));
      if (use === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(use);
      left -= use;
    }
    return out;
  }
}

/** Frames one record as a single last fragment: the 4-byte mark. */
export function recordMark(length: number): number {
  return (LAST_FRAGMENT | length) >>> 0;
}
