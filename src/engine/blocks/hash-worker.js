// A block thread (see hash-pool.ts): checksums, block writes and whole-block reads, so that none blocks the event loop.
// Plain JavaScript, so that the thread starts without the TypeScript loader (jobs and replies: hash-pool.ts).
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { segmentCrcs } from './segment-crc.js';

/** The whole file, at most maxLen bytes, in a new buffer that is transferred to the caller. */
function readWhole(path, maxLen) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxLen) throw Object.assign(new Error(`${path} holds ${size} bytes, more than ${maxLen}`), { code: 'EFBIG' });
    const ab = new ArrayBuffer(size);
    const view = new Uint8Array(ab);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, view, at, size - at, at);
      if (n === 0) break; // shrank meanwhile: the caller's length check reports it
      at += n;
    }
    return at === size ? ab : ab.slice(0, at);
  } finally {
    closeSync(fd);
  }
}

/** Direct I/O moves whole sectors: lengths and offsets in multiples of this (slots are page-aligned). */
const SECTOR = 4096;
const roundUp = (n) => Math.ceil(n / SECTOR) * SECTOR;

/**
 * Runs io(fd, direct) on the file opened with O_DIRECT where the file system allows it, else buffered (tmpfs refuses
 * O_DIRECT at open, some file systems at the first read or write: EINVAL). Slot I/O bypasses the page cache: the
 * engine caches verified blocks itself, and filling the page cache touches fresh memory (~1.3 ms per MiB of page
 * faults on a virtual machine), more than the disk write or read itself.
 */
function direct(path, flags, io) {
  let fd;
  try {
    fd = openSync(path, flags | constants.O_DIRECT);
  } catch (e) {
    if (e.code !== 'EINVAL') throw e;
  }
  if (fd !== undefined) {
    try {
      return io(fd, true);
    } catch (e) {
      if (e.code !== 'EINVAL') throw e;
    } finally {
      closeSync(fd);
    }
  }
  // A file the direct open created is ours to reopen; otherwise O_EXCL still holds.
  fd = openSync(path, fd === undefined ? flags : flags & ~constants.O_EXCL);
  try {
    return io(fd, false);
  } finally {
    closeSync(fd);
  }
}

/** The whole file (at most maxLen bytes) into the start of a page-aligned shared slot; its length. */
function readInto(path, sab, maxLen) {
  return direct(path, constants.O_RDONLY, (fd, whole) => {
    const size = fstatSync(fd).size;
    const max = Math.min(maxLen, sab.byteLength);
    if (size > max) throw Object.assign(new Error(`${path} holds ${size} bytes, more than ${max}`), { code: 'EFBIG' });
    const view = new Uint8Array(sab, 0, whole ? Math.min(roundUp(size), sab.byteLength) : size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, view, at, view.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return Math.min(at, size);
  });
}

/** Writes the first len bytes of a page-aligned shared slot as a new file (created, never overwritten). */
function writeFrom(path, sab, len) {
  direct(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_TRUNC, (fd, whole) => {
    // Direct writes are whole sectors: the tail past len (stale slot bytes) is cut off by the truncate.
    const view = new Uint8Array(sab, 0, whole ? Math.min(roundUp(len), sab.byteLength) : len);
    for (let at = 0; at < view.length;) at += writeSync(fd, view, at, view.length - at, at);
    if (view.length !== len) ftruncateSync(fd, len);
  });
}

const sha256Of = (bytes) => createHash('sha256').update(bytes).digest();

/** The checksum a read asks for ('sha256' or 'crc32s', see segment-crc.js) of bytes just read. */
const digest = (check, bytes) => (check === 'crc32s' ? segmentCrcs(bytes) : sha256Of(bytes));

parentPort.on('message', (job) => {
  try {
    if (job.op === 'hash') {
      parentPort.postMessage({ id: job.id, sha256: sha256Of(new Uint8Array(job.sab, 0, job.len)) });
    } else if (job.op === 'write') {
      writeFrom(job.path, job.sab, job.len);
      const bytes = new Uint8Array(job.sab, 0, job.len);
      parentPort.postMessage({ id: job.id, sha256: sha256Of(bytes), crc32s: segmentCrcs(bytes) });
    } else if (job.op === 'readInto') {
      const len = readInto(job.path, job.sab, job.maxLen);
      // Posting the buffer back gives the caller a new handle on the same memory (see hash-pool.ts).
      parentPort.postMessage({ id: job.id, digest: digest(job.check, new Uint8Array(job.sab, 0, len)), sab: job.sab, len });
    } else {
      const data = readWhole(job.path, job.maxLen);
      parentPort.postMessage({ id: job.id, digest: digest(job.check, new Uint8Array(data)), data }, [data]);
    }
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: { code: e?.code, message: e?.message ?? String(e) } });
  }
});
