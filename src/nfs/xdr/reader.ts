// Decodes XDR (RFC 4506) without copying: opaque data is a subarray of the input. The input may come in segments
// (a large record as the socket delivered it): reads within a segment stay views; the rare small read that straddles
// two segments joins them, and a large opaque can be taken as views of the segments it spans (opaqueParts).
import { XdrError } from './errors.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class XdrReader {
  private buf: Buffer;
  private pos: number;
  /** Segments after `buf`, not yet reached. */
  private readonly rest: Buffer[];
  private restBytes: number;

  constructor(input: Buffer | readonly Buffer[], offset = 0) {
    const segments = Buffer.isBuffer(input) ? [input] : [...input];
    this.buf = segments.shift() ?? Buffer.alloc(0);
    this.rest = segments;
    this.restBytes = segments.reduce((n, s) => n + s.length, 0);
    this.pos = offset;
  }

  get remaining(): number {
    return this.buf.length - this.pos + this.restBytes;
  }

  /** Consumes n bytes and returns where they start in `buf`, which it may replace: read `buf` only after calling. */
  private take(n: number): number {
    if (n > this.buf.length - this.pos) this.join(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** Makes the next n bytes contiguous in `buf` (copying the unread tail and as many segments as that needs). */
  private join(n: number): void {
    if (n > this.remaining) throw new XdrError(`read of ${n} bytes past end of XDR data`);
    const parts = [this.buf.subarray(this.pos)];
    let have = parts[0].length;
    while (have < n) {
      const s = this.rest.shift() as Buffer;
      this.restBytes -= s.length;
      parts.push(s);
      have += s.length;
    }
    this.buf = Buffer.concat(parts, have);
    this.pos = 0;
  }

  u32(): number {
    const at = this.take(4);
    return this.buf.readUInt32BE(at);
  }

  i32(): number {
    const at = this.take(4);
    return this.buf.readInt32BE(at);
  }

  u64(): bigint {
    const at = this.take(8);
    return this.buf.readBigUInt64BE(at);
  }

  /** An unsigned hyper as a number; values JavaScript cannot hold exactly are malformed input here. */
  u64n(): number {
    const at = this.take(8);
    const hi = this.buf.readUInt32BE(at);
    const lo = this.buf.readUInt32BE(at + 4);
    if (hi > 0x1fffff) throw new XdrError(`hyper ${this.buf.readBigUInt64BE(at)} exceeds ${MAX_SAFE}`);
    return hi * 0x1_0000_0000 + lo;
  }

  i64(): bigint {
    const at = this.take(8);
    return this.buf.readBigInt64BE(at);
  }

  bool(): boolean {
    const v = this.u32();
    if (v > 1) throw new XdrError(`bad boolean ${v}`);
    return v === 1;
  }

  /** Variable-length opaque<maxLen>: length, bytes, padding to 4. */
  opaque(maxLen = Number.MAX_SAFE_INTEGER): Buffer {
    const len = this.u32();
    if (len > maxLen) throw new XdrError(`opaque of ${len} bytes exceeds limit ${maxLen}`);
    return this.fixedOpaque(len);
  }

  /** Up to n of the bytes still to read, without consuming them (the same bytes however the input was segmented). */
  peek(n: number): Buffer {
    const want = Math.min(n, this.remaining);
    if (want > this.buf.length - this.pos) this.join(want);
    return this.buf.subarray(this.pos, this.pos + want);
  }

  /** Fixed-length opaque[n] (padded to 4). */
  fixedOpaque(n: number): Buffer {
    const at = this.take(padded(n));
    return this.buf.subarray(at, at + n);
  }

  /** Variable-length opaque<maxLen> as views of the segments it lies in: large data without a copy. */
  opaqueParts(maxLen = Number.MAX_SAFE_INTEGER): Buffer[] {
    const len = this.u32();
    if (len > maxLen) throw new XdrError(`opaque of ${len} bytes exceeds limit ${maxLen}`);
    const total = padded(len);
    if (total > this.remaining) throw new XdrError(`read of ${total} bytes past end of XDR data`);
    const parts: Buffer[] = [];
    for (let left = total; left > 0;) {
      if (this.pos === this.buf.length) {
        this.buf = this.rest.shift() as Buffer;
        this.restBytes -= this.buf.length;
        this.pos = 0;
      }
      const n = Math.min(left, this.buf.length - this.pos);
      const data = Math.min(n, left - (total - len)); // the padding is not data
      if (data > 0) parts.push(this.buf.subarray(this.pos, this.pos + data));
      this.pos += n;
      left -= n;
    }
    return parts;
  }

  string(maxLen?: number): string {
    return this.opaque(maxLen).toString('utf8');
  }
}

function padded(n: number): number {
  const p = (n + 3) & ~3;
  if (p < n) throw new XdrError(`bad opaque length ${n}`);
  return p;
}
