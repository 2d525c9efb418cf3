// TCP record marking (RFC 5531 section 11): 4-byte fragment headers, last-fragment bit, 31-bit length.
// Bytes are kept as received chunks and copied once, when a whole fragment is present.

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
  /** Fragments of the record being assembled. */
  private fragments: Buffer[] = [];
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
   * The next complete record, or undefined when more bytes are needed. Throws RecordTooLargeError as soon as
   * a fragment header announces more than the maximum, before that payload is buffered.
   */
  next(): Buffer | undefined {
    for (;;) {
      if (!this.pending) {
        if (this.buffered < 4) return undefined;
        const word = this.take(4).readUInt32BE(0);
        const length = word & 0x7fff_ffff;
        if (this.recordBytes + length > this.maxRecordBytes) {
          throw new RecordTooLargeError(this.recordBytes + length, this.maxRecordBytes);
        }
        this.pending = { length, last: (word & LAST_FRAGMENT) !== 0 };
      }
      if (this.buffered < this.pending.length) return undefined;
      const fragment = this.take(this.pending.length);
      const last = this.pending.last;
      this.pending = undefined;
      this.fragments.push(fragment);
      this.recordBytes += fragment.length;
      if (last) return this.completeRecord();
    }
  }

  private completeRecord(): Buffer {
    const record = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments, this.recordBytes);
    this.fragments = [];
    this.recordBytes = 0;
    return record;
  }

  /** Removes n buffered bytes (n <= buffered): a subarray when they sit in one chunk, else one copy. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      const use = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, use);
      filled += use;
      if (use === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(use);
    }
    return out;
  }
}

/** Frames one record as a single last fragment: the 4-byte mark. */
export function recordMark(length: number): number {
  return (LAST_FRAGMENT | length) >>> 0;
}
