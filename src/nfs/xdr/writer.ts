// Encodes XDR (RFC 4506) into one growable Buffer: the hot path allocates only when it must grow.
/** Strings and opaques up to this many bytes are written by a loop rather than a native call. */
const SMALL = 64;
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

function putU32(buf: Buffer, at: number, v: number): void {
  buf[at] = v >>> 24;
  buf[at + 1] = v >>> 16;
  buf[at + 2] = v >>> 8;
  buf[at + 3] = v;
}

export class XdrWriter {
  private buf: Buffer;
  private pos = 0;
  /** Bytes already handed out as segments (opaqueRef): [0, segStart) of buf is final. */
  private segStart = 0;
  private readonly segments: Buffer[] = [];

  constructor(initialSize = 512) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialSize));
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  // Byte stores instead of Buffer.writeUInt32BE and friends: those validate every call, and a READDIRPLUS
  // reply is a thousand entries of two dozen fields each.
  u32(v: number): void {
    this.ensure(4);
    putU32(this.buf, this.pos, v);
    this.pos += 4;
  }

  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v | 0, this.pos);
    this.pos += 4;
  }

  u64(v: bigint | number): void {
    this.ensure(8);
    if (typeof v === 'bigint' && v >= 0n && v <= MAX_SAFE_BIGINT) v = Number(v);
    if (typeof v === 'number' && v >= 0 && Number.isSafeInteger(v)) {
      // Avoids a BigInt allocation per field for the common case (sizes, offsets, fileids).
      putU32(this.buf, this.pos, Math.floor(v / 0x1_0000_0000));
      putU32(this.buf, this.pos + 4, v);
    } else if (typeof v === 'number') {
      this.buf.writeBigUInt64BE(BigInt.asUintN(64, BigInt(Math.trunc(v))), this.pos);
    } else {
      this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.pos);
    }
    this.pos += 8;
  }

  i64(v: bigint | number): void {
    this.ensure(8);
    if (typeof v === 'number' && Number.isSafeInteger(v)) {
      // Times are numbers: two's complement by words, without a BigInt per field.
      putU32(this.buf, this.pos, Math.floor(v / 0x1_0000_0000));
      putU32(this.buf, this.pos + 4, v);
    } else {
      this.buf.writeBigInt64BE(BigInt.asIntN(64, typeof v === 'number' ? BigInt(Math.trunc(v)) : v), this.pos);
    }
    this.pos += 8;
  }

  bool(v: boolean): void {
    this.u32(v ? 1 : 0);
  }

  opaque(data: Buffer): void {
    this.u32(data.length);
    this.fixedOpaque(data);
  }

  fixedOpaque(data: Buffer): void {
    const n = data.length;
    const pad = (4 - (n & 3)) & 3;
    this.ensure(n + pad);
    const buf = this.buf;
    // Handles and verifiers are a few dozen bytes: a loop beats the native copy's call overhead.
    if (n <= SMALL) for (let i = 0; i < n; i++) buf[this.pos + i] = data[i];
    else data.copy(buf, this.pos);
    this.pos += n;
    this.zeroPad(pad);
  }

  /** XDR pads items to 4 bytes with zeros. */
  private zeroPad(pad: number): void {
    for (let i = 0; i < pad; i++) this.buf[this.pos++] = 0;
  }

  /** Room for n more bytes at once (a reply whose size is known roughly: one allocation instead of doublings). */
  reserve(n: number): void {
    this.ensure(n);
  }

  /**
   * Like opaque(), but the bytes are referenced, not copied (large READ data): the result is then taken with
   * finishSegments(), and nothing written before this call may be patched afterwards.
   */
  opaqueRef(data: Buffer): void {
    this.u32(data.length);
    this.segments.push(this.buf.subarray(this.segStart, this.pos), data);
    this.segStart = this.pos;
    const pad = (4 - (data.length & 3)) & 3;
    this.ensure(pad);
    this.zeroPad(pad);
  }

  string(s: string): void {
    if (s.length <= SMALL && this.asciiString(s)) return;
    const len = Buffer.byteLength(s, 'utf8');
    this.u32(len);
    const pad = (4 - (len & 3)) & 3;
    this.ensure(len + pad);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
    this.zeroPad(pad);
  }

  /** Writes a short all-ASCII string byte by byte (file names: the native encoder's call costs more); false if not. */
  private asciiString(s: string): boolean {
    const n = s.length;
    const pad = (4 - (n & 3)) & 3;
    this.ensure(4 + n + pad);
    const buf = this.buf;
    const at = this.pos + 4;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return false;
      buf[at + i] = c;
    }
    putU32(buf, this.pos, n);
    this.pos = at + n;
    this.zeroPad(pad);
    return true;
  }

  /** Leaves room for a u32 written later (e.g. a count known only after the items). */
  reserveU32(): number {
    this.ensure(4);
    const at = this.pos;
    this.buf.writeUInt32BE(0, at);
    this.pos += 4;
    return at;
  }

  /** Drops what was written from pos on (an item that did not fit); nothing handed out as a segment. */
  rewind(pos: number): void {
    if (pos < this.segStart || pos > this.pos) throw new RangeError(`rewind position ${pos} outside patchable data`);
    this.pos = pos;
  }

  patchU32(pos: number, v: number): void {
    if (pos < this.segStart || pos + 4 > this.pos) throw new RangeError(`patch position ${pos} outside patchable data`);
    this.buf.writeUInt32BE(v >>> 0, pos);
  }

  /** The encoded bytes (a view of the internal buffer; the writer must not be used afterwards). */
  finish(): Buffer {
    const tail = this.buf.subarray(this.segStart, this.pos);
    return this.segments.length === 0 ? tail : Buffer.concat([...this.segments, tail]);
  }

  /** The encoded bytes as buffers to send in order, without copying referenced data. */
  finishSegments(): Buffer[] {
    return [...this.segments, this.buf.subarray(this.segStart, this.pos)].filter((b) => b.length > 0);
  }
}
