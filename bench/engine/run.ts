// Engine benchmark: metadata rates and sequential throughput of Fathom's engine next to the same work on the
// local file system (the reference). Usage: node --import tsx bench/engine/run.ts [--size 1G] [--files 5000] [--dir D]
// [--random 3000]
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openVolume, ROOT_CALLER as C, ROOT_INODE, type InodeNumber, type Volume } from '../../src/engine/index.ts';

const MiB = 1024 * 1024;
const CHUNK = MiB;
const SMALL = 4096;

interface Figures {
  creates: number;
  stats: number;
  unlinks: number;
  writeMiBs: number;
  readMiBs: number;
  randomOps: number;
}

/** fio's randrw pattern: random 4 KiB reads and synchronous 4 KiB writes, half each, in a 64 MiB file. */
const RANDOM_FILE = 64 * MiB;

/** Deterministic offsets and read/write choices, the same for both sides. */
function randomPlan(ops: number): Array<{ off: number; write: boolean }> {
  let x = 0x2545f491;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  return Array.from({ length: ops }, () => ({ off: (next() % (RANDOM_FILE / SMALL)) * SMALL, write: next() % 2 === 0 }));
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)i?B?$/i.exec(text.trim());
  if (!m) throw new Error(`bad size: ${text}`);
  const unit = { '': 1, K: 1024, M: MiB, G: 1024 * MiB, T: 1024 * 1024 * MiB }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Math.round(Number(m[1]) * unit);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** A fresh buffer per write: an engine may keep a reference to buffered (unstable) data. */
function chunkSource(size: number): (i: number) => Buffer {
  const template = crypto.randomBytes(size);
  return (i) => {
    const b = Buffer.from(template);
    b.writeUInt32LE(i, 0);
    return b;
  };
}

const rssMiB = (): number => process.resourceUsage().maxRSS / 1024;

async function benchFathom(dir: string, files: number, size: number, random: number): Promise<Figures> {
  const opts = { dir, id: 'fs-0000000000000bead', create: true };
  let vol: Volume = await openVolume(opts);
  const d = (await vol.mkdir(C, ROOT_INODE, 'small', 0o755)).ino;
  const small = chunkSource(SMALL);
  const creates = files / await timed(async () => {
    for (let i = 0; i < files; i++) {
      const { attr } = await vol.create(C, d, `f${i}`, { mode: 0o644, exclusive: true });
      await vol.write(C, attr.ino, 0, small(i), 'unstable');
      await vol.commit(attr.ino);
    }
  });
  const stats = files / await timed(async () => {
    for (let i = 0; i < files; i++) await vol.lookup(C, d, `f${i}`);
  });
  const unlinks = files / await timed(async () => {
    for (let i = 0; i < files; i++) await vol.unlink(C, d, `f${i}`);
  });
  report('fathom metadata done', { rss: rssMiB() });
  const big = chunkSource(CHUNK);
  let ino = 0 as InodeNumber;
  const writeSecs = await timed(async () => {
    ino = (await vol.create(C, ROOT_INODE, 'big', { mode: 0o644, exclusive: true })).attr.ino;
    for (let off = 0, i = 0; off < size; off += CHUNK, i++) await vol.write(C, ino, off, big(i), 'unstable');
    await vol.commit(ino);
  });
  report('fathom write done', { rss: rssMiB() });
  await vol.close();
  vol = await openVolume({ ...opts, create: false });
  const readSecs = await timed(async () => {
    for (let off = 0; off < size; off += CHUNK) {
      const r = await vol.read(C, ino, off, CHUNK);
      if (r.data.length === 0) throw new Error(`short read at ${off}`);
    }
  });
  report('fathom read done', { rss: rssMiB() });
  let randomOps = 0;
  if (random > 0) {
    const r = (await vol.create(C, ROOT_INODE, 'random', { mode: 0o644, exclusive: true })).attr.ino;
    for (let off = 0, i = 0; off < RANDOM_FILE; off += CHUNK, i++) await vol.write(C, r, off, big(i), 'unstable');
    await vol.commit(r);
    const plan = randomPlan(random);
    randomOps = random / await timed(async () => {
      for (const [i, op] of plan.entries()) {
        if (op.write) await vol.write(C, r, op.off, small(i), 'file_sync');
        else await vol.read(C, r, op.off, SMALL);
      }
    });
    report('fathom random done', { rss: rssMiB() });
  }
  await vol.close();
  return { creates, stats, unlinks, writeMiBs: size / MiB / writeSecs, readMiBs: size / MiB / readSecs, randomOps };
}

/** The reference: node:fs on the same disk, each create fsync'd like a committed NFS create. */
async function benchLocal(dir: string, files: number, size: number, random: number): Promise<Figures> {
  const d = path.join(dir, 'small');
  fs.mkdirSync(d, { recursive: true });
  const small = chunkSource(SMALL);
  const creates = files / await timed(async () => {
    for (let i = 0; i < files; i++) {
      const fh = await fs.promises.open(path.join(d, `f${i}`), 'wx');
      await fh.write(small(i), 0, SMALL, 0);
      await fh.sync();
      await fh.close();
    }
  });
  const stats = files / await timed(async () => {
    for (let i = 0; i < files; i++) await fs.promises.stat(path.join(d, `f${i}`));
  });
  const unlinks = files / await timed(async () => {
    for (let i = 0; i < files; i++) await fs.promises.unlink(path.join(d, `f${i}`));
  });
  const big = chunkSource(CHUNK);
  const file = path.join(dir, 'big');
  const writeSecs = await timed(async () => {
    const fh = await fs.promises.open(file, 'w');
    for (let off = 0, i = 0; off < size; off += CHUNK, i++) await fh.write(big(i), 0, CHUNK, off);
    await fh.sync();
    await fh.close();
  });
  const readSecs = await timed(async () => {
    const fh = await fs.promises.open(file, 'r');
    const buf = Buffer.alloc(CHUNK);
    for (let off = 0; off < size; off += CHUNK) await fh.read(buf, 0, CHUNK, off);
    await fh.close();
  });
  let randomOps = 0;
  if (random > 0) {
    const rfile = path.join(dir, 'random');
    const w = await fs.promises.open(rfile, 'w');
    for (let off = 0, i = 0; off < RANDOM_FILE; off += CHUNK, i++) await w.write(big(i), 0, CHUNK, off);
    await w.sync();
    await w.close();
    const plan = randomPlan(random);
    const fh = await fs.promises.open(rfile, 'r+');
    const buf = Buffer.alloc(SMALL);
    randomOps = random / await timed(async () => {
      for (const [i, op] of plan.entries()) {
        if (op.write) {
          await fh.write(small(i), 0, SMALL, op.off);
          await fh.datasync();
        } else await fh.read(buf, 0, SMALL, op.off);
      }
    });
    await fh.close();
  }
  return { creates, stats, unlinks, writeMiBs: size / MiB / writeSecs, readMiBs: size / MiB / readSecs, randomOps };
}

function report(what: string, fields: Record<string, number>): void {
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${v.toFixed(1)}`);
  console.log(`# ${what}: ${parts.join(' ')}`);
}

function printTable(fathom: Figures, local: Figures): void {
  const rows: Array<[string, keyof Figures]> = [
    ['creates/s (create + 4 KiB write + commit)', 'creates'],
    ['stats/s (lookup)', 'stats'],
    ['unlinks/s', 'unlinks'],
    ['sequential write MiB/s (1 MiB writes, commit at end)', 'writeMiBs'],
    ['sequential read MiB/s (1 MiB reads, after reopen)', 'readMiBs'],
  ];
  if (fathom.randomOps > 0) rows.push(['random 4 KiB ops/s (half reads, half synchronous writes, 64 MiB file)', 'randomOps']);
  console.log(`| metric | fathom | local fs | fathom/local |\n|---|---:|---:|---:|`);
  for (const [label, key] of rows) {
    console.log(`| ${label} | ${fathom[key].toFixed(0)} | ${local[key].toFixed(0)} | ${(fathom[key] / local[key]).toFixed(2)} |`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: '1G' }, files: { type: 'string', default: '5000' }, dir: { type: 'string' }, random: { type: 'string', default: '0' } },
  });
  const size = parseSize(values.size ?? '1G');
  const files = Number(values.files);
  const random = Number(values.random);
  const root = fs.mkdtempSync(path.join(values.dir ?? os.tmpdir(), 'fathom-bench-'));
  console.log(`# engine bench: ${files} files, ${(size / MiB).toFixed(0)} MiB sequential, in ${root}, node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(1)}`);
  try {
    // Fathom first, so that peak RSS (a process-wide high-water mark) is the engine's.
    const fathom = await benchFathom(path.join(root, 'fathom'), files, size, random);
    const fathomRss = rssMiB();
    const local = await benchLocal(path.join(root, 'local'), files, size, random);
    printTable(fathom, local);
    console.log(`peak RSS during the Fathom phases: ${fathomRss.toFixed(0)} MiB`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
