// Backup benchmark: full backup, incremental backup after a 1% change, cross-region copy, and restore (to
// available, and to fully hydrated) of a Fathom volume, next to tar + cp of the same files on the local file
// system (the reference). Usage:
//   node --import tsx bench/backup/run.ts [--size 2G] [--files 10000] [--dir D] [--json]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BackupService } from '../../src/backup/backup-service.ts';
import { restoreFileSystem } from '../../src/backup/restore.ts';
import { fileBytes } from '../../src/backup/testing/volume-tree.ts';
import { openVolume, ROOT_CALLER as C, ROOT_INODE, type InodeNumber, type Volume } from '../../src/engine/index.ts';

const MiB = 1024 * 1024;
const FS_ID = 'fs-0000000000000bac0';

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)i?B?$/i.exec(text.trim());
  if (!m) throw new Error(`bad size: ${text}`);
  return Math.round(Number(m[1]) * { '': 1, K: 1024, M: MiB, G: 1024 * MiB, T: 1024 * 1024 * MiB }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T']);
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ s: number; v: T }> {
  const t0 = process.hrtime.bigint();
  const v = await fn();
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, v };
}

const maxRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

function duBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

interface Dataset {
  files: number;
  fileBytes: number;
  /** Files rewritten by the 1% change. */
  changed: number;
}

/** The same files into the volume and into a plain directory (the reference's source). */
async function populate(vol: Volume, plain: string, d: Dataset): Promise<InodeNumber[]> {
  const inodes: InodeNumber[] = [];
  let dir = ROOT_INODE;
  for (let i = 0; i < d.files; i++) {
    const sub = `d${Math.floor(i / 100)}`;
    if (i % 100 === 0) {
      dir = (await vol.mkdir(C, ROOT_INODE, sub, 0o755)).ino;
      fs.mkdirSync(path.join(plain, sub));
    }
    const data = fileBytes(i + 1, d.fileBytes);
    const f = (await vol.create(C, dir, `f${i}`, { mode: 0o644 })).attr;
    await vol.write(C, f.ino, 0, data, 'unstable');
    fs.writeFileSync(path.join(plain, sub, `f${i}`), data);
    inodes.push(f.ino);
  }
  await vol.commit();
  return inodes;
}

async function lookupFiles(vol: Volume, d: Dataset): Promise<InodeNumber[]> {
  const inodes: InodeNumber[] = [];
  for (let i = 0; i < d.changed; i++) {
    const dir = await vol.lookup(C, ROOT_INODE, `d${Math.floor(i / 100)}`);
    inodes.push((await vol.lookup(C, dir.ino, `f${i}`)).ino);
  }
  return inodes;
}

async function populateOnly(root: string, d: Dataset): Promise<void> {
  const vol = await openVolume({ dir: path.join(root, 'volumes', FS_ID), id: FS_ID, create: true });
  await populate(vol, path.join(root, 'plain'), d);
  await vol.close();
}

async function change(vol: Volume, plain: string, inodes: InodeNumber[], d: Dataset): Promise<void> {
  for (let i = 0; i < d.changed; i++) {
    const data = fileBytes(1_000_000 + i, d.fileBytes);
    await vol.write(C, inodes[i], 0, data, 'unstable');
    fs.writeFileSync(path.join(plain, `d${Math.floor(i / 100)}`, `f${i}`), data);
  }
  await vol.commit();
}

function sh(cmd: string, args: string[], cwd?: string): void {
  execFileSync(cmd, args, { cwd, stdio: 'ignore' });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '2G' }, files: { type: 'string', default: '10000' },
    dir: { type: 'string', default: os.tmpdir() }, json: { type: 'boolean', default: false }, populate: { type: 'string' } } });
  const files = Number(values.files);
  const total = parseSize(values.size);
  const d: Dataset = { files, fileBytes: Math.floor(total / files), changed: Math.max(1, Math.round(files / 100)) };
  if (values.populate) return populateOnly(values.populate, d);
  const dataMiB = (d.files * d.fileBytes) / MiB;
  const root = fs.mkdtempSync(path.join(values.dir, 'fathom-bench-backup-'));
  const plain = path.join(root, 'plain');
  fs.mkdirSync(plain);
  fs.mkdirSync(path.join(root, 'volumes'));
  const out: Record<string, number> = { dataMiB, files };
  try {
    // Populated by a child process, so that this process's peak RSS is the backup subsystem's alone.
    sh(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--populate', root, '--files', String(d.files), '--size', String(d.files * d.fileBytes)]);
    sh('sync', []);
    const vol = await openVolume({ dir: path.join(root, 'volumes', FS_ID), id: FS_ID });
    const inodes = await lookupFiles(vol, d);
    out.peakRssAfterPopulateMiB = maxRssMiB();
    const svc = await BackupService.open({ dataDir: root, vaults: new Map([['local-1', path.join(root, 'vaults', 'local-1')], ['local-2', path.join(root, 'vaults', 'local-2')]]) });
    const backup = async () => {
      const r = svc.createBackup({ region: 'local-1', fileSystemId: FS_ID, volume: vol, fileSystem: {} });
      const done = await svc.waitFor('local-1', r.backupId);
      if (done.lifecycle !== 'AVAILABLE') throw new Error(`backup ${done.lifecycle}: ${done.failureMessage}`);
      return done;
    };

    const full = await timed(backup);
    out.fullBackupS = full.s;
    out.fullBackupMiBs = dataMiB / full.s;
    out.vaultAfterFullMiB = duBytes(path.join(root, 'vaults', 'local-1')) / MiB;
    out.peakRssAfterBackupMiB = maxRssMiB();
    await change(vol, plain, inodes, d);
    const incr = await timed(backup);
    out.incrementalS = incr.s;
    out.incrementalWrittenMiB = (incr.v.bytesWritten ?? 0) / MiB;
    out.changedMiB = (d.changed * d.fileBytes) / MiB;
    out.vaultAfterIncrementalMiB = duBytes(path.join(root, 'vaults', 'local-1')) / MiB;

    const copy = await timed(async () => svc.waitFor('local-2', svc.copyBackup({ region: 'local-2', sourceRegion: 'local-1', sourceBackupId: incr.v.backupId }).backupId));
    out.copyS = copy.s;
    out.copyMiBs = dataMiB / copy.s;
    out.peakRssAfterCopyMiB = maxRssMiB();

    const restoreStart = process.hrtime.bigint();
    const restored = await restoreFileSystem(svc, { region: 'local-2', backupId: copy.v.backupId, fileSystemId: 'fs-0000000000000bac1', dir: path.join(root, 'volumes', 'restored') });
    out.restoreAvailableS = Number(process.hrtime.bigint() - restoreStart) / 1e9;
    await restored.hydrated;
    out.restoreHydratedS = Number(process.hrtime.bigint() - restoreStart) / 1e9;
    await restored.volume.close();
    await svc.close();
    await vol.close();
    out.peakRssMiB = maxRssMiB();

    // The reference: tar of the plain tree (full, then GNU incremental after the same change), cp -a, untar.
    const tarDir = path.join(root, 'tar');
    fs.mkdirSync(tarDir);
    await change2Reference(root, plain, tarDir, d, out);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  report(out, values.json);
}

/** tar + cp on the same files: full archive, incremental archive after the same 1% change, copy, extract. */
async function change2Reference(root: string, plain: string, tarDir: string, d: Dataset, out: Record<string, number>): Promise<void> {
  // Put the plain tree back to its first state so the incremental sees the same change as Fathom's.
  for (let i = 0; i < d.changed; i++) fs.writeFileSync(path.join(plain, `d${Math.floor(i / 100)}`, `f${i}`), fileBytes(i + 1, d.fileBytes));
  const snar = path.join(tarDir, 'snar');
  out.tarFullS = (await timed(() => { sh('tar', ['--listed-incremental', snar, '-cf', path.join(tarDir, 'full.tar'), '-C', plain, '.']); sh('sync', []); })).s;
  for (let i = 0; i < d.changed; i++) fs.writeFileSync(path.join(plain, `d${Math.floor(i / 100)}`, `f${i}`), fileBytes(1_000_000 + i, d.fileBytes));
  out.tarIncrementalS = (await timed(() => { sh('tar', ['--listed-incremental', snar, '-cf', path.join(tarDir, 'incr.tar'), '-C', plain, '.']); sh('sync', []); })).s;
  out.tarIncrementalMiB = fs.statSync(path.join(tarDir, 'incr.tar')).size / MiB;
  out.cpS = (await timed(() => { sh('cp', ['-a', plain, path.join(root, 'plain-copy')]); sh('sync', []); })).s;
  const x = path.join(root, 'extracted');
  fs.mkdirSync(x);
  out.untarS = (await timed(() => { sh('tar', ['-xf', path.join(tarDir, 'full.tar'), '-C', x]); sh('sync', []); })).s;
}

function report(out: Record<string, number>, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  const f = (n: number | undefined, digits = 2) => (n === undefined ? '-' : n.toFixed(digits));
  console.log(`dataset: ${f(out.dataMiB, 0)} MiB in ${out.files} files; 1% change = ${f(out.changedMiB, 1)} MiB`);
  console.log('figure                          Fathom                 reference (tar/cp)');
  console.log(`full backup                     ${f(out.fullBackupS)} s (${f(out.fullBackupMiBs, 0)} MiB/s)   tar ${f(out.tarFullS)} s`);
  console.log(`incremental after 1% change     ${f(out.incrementalS)} s, ${f(out.incrementalWrittenMiB, 1)} MiB written   tar -g ${f(out.tarIncrementalS)} s, ${f(out.tarIncrementalMiB, 1)} MiB`);
  console.log(`vault size after full / incr    ${f(out.vaultAfterFullMiB, 0)} / ${f(out.vaultAfterIncrementalMiB, 0)} MiB`);
  console.log(`copy to another region          ${f(out.copyS)} s (${f(out.copyMiBs, 0)} MiB/s)   cp -a ${f(out.cpS)} s`);
  console.log(`restore: available              ${f(out.restoreAvailableS)} s                 tar -x ${f(out.untarS)} s`);
  console.log(`restore: fully hydrated         ${f(out.restoreHydratedS)} s`);
  console.log(`peak RSS (MiB) after open / backups / copy / restore: ${f(out.peakRssAfterPopulateMiB, 0)} / ${f(out.peakRssAfterBackupMiB, 0)} / ${f(out.peakRssAfterCopyMiB, 0)} / ${f(out.peakRssMiB, 0)}`);
}

await main();
