// A block thread (see hash-pool.ts): SHA-256 and whole-block reads, so that neither blocks the event loop.
// Plain JavaScript, so that the thread starts without the TypeScript loader (jobs and replies: hash-pool.ts).
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

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

/** The whole file (at most maxLen bytes) into the start of a shared buffer; its length. */
function readInto(path, sab, maxLen) {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const max = Math.min(maxLen, sab.byteLength);
    if (size > max) throw Object.assign(new Error(`${path} holds ${size} bytes, more than ${max}`), { code: 'EFBIG' });
    const view = new Uint8Array(sab, 0, size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, view, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return at;
  } finally {
    closeSync(fd);
  }
}

/** Reused by hashFile: reading a file to hash it needs no new memory. */
let chunk;

/** SHA-256 of a whole file, read in pieces (a block just written: it comes from the page cache). */
function hashFile(path) {
  chunk ??= new Uint8Array(1024 * 1024);
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (let at = 0; ;) {
      const n = readSync(fd, chunk, 0, chunk.length, at);
      if (n === 0) return h.digest();
      h.update(chunk.subarray(0, n));
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

parentPort.on('message', (job) => {
  try {
    if (job.op === 'hash') {
      const sha256 = createHash('sha256').update(new Uint8Array(job.sab, 0, job.len)).digest();
      parentPort.postMessage({ id: job.id, sha256 });
    } else if (job.op === 'hashFile') {
      parentPort.postMessage({ id: job.id, sha256: hashFile(job.path) });
    } else if (job.op === 'readInto') {
      const len = readInto(job.path, job.sab, job.maxLen);
      const sha256 = createHash('sha256').update(new Uint8Array(job.sab, 0, len)).digest();
      // Posting the buffer back gives the caller a new handle on the same memory (see hash-pool.ts).
      parentPort.postMessage({ id: job.id, sha256, sab: job.sab, len });
    } else {
      const data = readWhole(job.path, job.maxLen);
      const sha256 = createHash('sha256').update(new Uint8Array(data)).digest();
      parentPort.postMessage({ id: job.id, sha256, data }, [data]);
    }
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: { code: e?.code, message: e?.message ?? String(e) } });
  }
});
