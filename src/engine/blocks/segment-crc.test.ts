// The checksums that verify block reads: standard CRC-32 per 64 KiB segment, so damage anywhere changes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SEGMENT_BYTES, segmentCrcs } from './segment-crc.js';

test('segment CRCs are the standard CRC-32 of each 64 KiB, the last segment short', () => {
  // CRC-32's published check value: the CRC of "123456789" is 0xCBF43926.
  assert.equal(segmentCrcs(Buffer.from('123456789')).toString('hex'), 'cbf43926');
  assert.equal(segmentCrcs(Buffer.alloc(0)).length, 0);
  const data = randomBytes(2 * SEGMENT_BYTES + 100);
  const crcs = segmentCrcs(data);
  assert.equal(crcs.length, 12, 'three segments, four bytes each');
  assert.ok(crcs.subarray(8).equals(segmentCrcs(data.subarray(2 * SEGMENT_BYTES))), 'the short last segment alone');
  // One changed byte changes its own segment's CRC, and only that one.
  data[SEGMENT_BYTES + 5] ^= 1;
  const after = segmentCrcs(data);
  assert.deepEqual([0, 1, 2].map((i) => after.readUInt32BE(4 * i) === crcs.readUInt32BE(4 * i)), [true, false, true]);
});
