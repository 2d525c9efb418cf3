// Decodes XDR (RFC 4506) from one Buffer without copying: opaque data is a subarray of the input.
import { XdrError } from './errors.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class XdrReader {
  private pos: number;

  constructor(private readonly buf: Buffer, offset = 0) {
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private take(n: number): number {
    if (n > this.buf.length - this.pos) throw new XdrError(`read of ${n} bytes past end of XDR data`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u32(): number {
    return this.buf.readUInt32BE(this.take(4));
  }

  i32(): number {
    return this.buf.readInt32BE(this.take(4));
  }

  u64(): bigint {
    return this.buf.readBigUInt64BE(this.take(8));
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
    return this.buf.readBigInt64BE(this.take(8));
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

  /** Up to n of the bytes still to read, without consuming them. */
  peek(n: number): Buffer {
    return this.buf.subarray(this.pos, Math.min(this.buf.length, this.pos + n));
  }

  /** Fixed-length opaque[n] (padded to 4). */
  fixedOpaque(n: number): Buffer {
    const padded = (n + 3) & ~3;
    if (padded < n) throw new XdrError(`bad opaque length ${n}`);
    const at = this.take(padded);
    return this.buf.subarray(at, at + n);
  }

  string(maxLen?: number): string {
    return this.opaque(maxLen).toString('utf8');
  }
}
