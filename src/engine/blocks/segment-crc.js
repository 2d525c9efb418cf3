// Checksums that verify a block on every read from disk: CRC-32 of each 64 KiB segment. SHA-256 names a block's
// content (backups, restores); re-computing it on every read cost a block thread ~2.5 ms per 4 MiB, CRC-32
// (zlib's, vectorised) ~0.75 ms. Per segment, so that a read of part of a block can one day be verified alone.
// Plain JavaScript: the block threads (hash-worker.js) import it without the TypeScript loader.
import { crc32 } from 'node:zlib';

export const SEGMENT_BYTES = 64 * 1024;

/** The CRC-32 of each SEGMENT_BYTES of bytes (the last segment may be shorter), 4 bytes big-endian each. */
export function segmentCrcs(bytes) {
  const count = Math.ceil(bytes.length / SEGMENT_BYTES);
  const out = Buffer.allocUnsafe(count * 4);
  for (let i = 0; i < count; i++) out.writeUInt32BE(crc32(bytes.subarray(i * SEGMENT_BYTES, (i + 1) * SEGMENT_BYTES)), i * 4);
  return out;
}
