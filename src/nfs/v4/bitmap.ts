// bitmap4 (RFC 7530 §3.3.7): an array of u32 words, bit n in word n/32.
import { XdrError } from '../xdr/errors.ts';
import type { XdrReader } from '../xdr/reader.ts';
import type { XdrWriter } from '../xdr/writer.ts';

const MAX_WORDS = 8;

export function readBitmap(r: XdrReader): number[] {
  const n = r.u32();
  // Longer bitmaps only carry bits nobody defines; refuse them rather than allocate for them.
  if (n > 64) throw new XdrError(`bitmap of ${n} words`);
  const words: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = r.u32();
    if (i < MAX_WORDS) words.push(w);
  }
  return words;
}

export function writeBitmap(w: XdrWriter, words: readonly number[]): void {
  let n = words.length;
  while (n > 0 && words[n - 1] === 0) n--;
  w.u32(n);
  for (let i = 0; i < n; i++) w.u32(words[i]);
}

export function hasBit(words: readonly number[], bit: number): boolean {
  return ((words[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
}

export function bitsOf(words: readonly number[]): number[] {
  const out: number[] = [];
  words.forEach((word, i) => {
    for (let b = 0; b < 32; b++) if (word & (1 << b)) out.push(i * 32 + b);
  });
  return out;
}

export function bitmapOf(bits: Iterable<number>): number[] {
  const words: number[] = [];
  for (const b of bits) {
    while (words.length <= b >>> 5) words.push(0);
    words[b >>> 5] = (words[b >>> 5] | (1 << (b & 31))) >>> 0;
  }
  return words;
}
