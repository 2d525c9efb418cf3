// Crash test: a child process writes, commits, snapshots and deletes on one volume and is SIGKILLed at random
// moments (also inside snapshot creation, snapshot deletion and unlink). After each kill the volume must
// reopen, check clean, and hold everything the child's log says was acknowledged as durable.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openVolume } from './index.ts';
import { CRASH_FILES, CRASH_VOLUME_ID, readCrashLog, sha256, type CrashRecord } from './model/crash-log.ts';
import { analyseLog, checkSurvivor, contentAt, type RoundLog } from './model/crash-verify.ts';
import { Prng } from './model/prng.ts';
import { listDir, readRange } from './model/tree-check.ts';
import { ROOT_CALLER as C, ROOT_INODE, type Volume, type VolumeReader } from './types.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const REPO = path.resolve(path.dirname(CHILD), '../..');
const FOCUSES = ['time', 'snapshot', 'unlink', 'snapdel', 'time'];
const SEED = Number(process.env.FATHOM_SEED ?? 7);
const ROUNDS = Number(process.env.FATHOM_CRASH_ROUNDS ?? 10);

/** Runs the child until the kill; fails if it died of anything but our SIGKILL. */
async function runAndKill(dir: string, log: string, seed: number, focus: string, rng: Prng): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, log, String(seed), focus], {
    cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const kill = (): void => { child.kill('SIGKILL'); };
  const timers: NodeJS.Timeout[] = [setTimeout(kill, 15_000)];
  let armed = false;
  const t0 = Date.now();
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready' && process.env.FATHOM_CRASH_VERBOSE) console.log(`child ready after ${Date.now() - t0} ms`);
    if (line !== `phase ${focus}` || armed) return;
    armed = true;
    timers.push(setTimeout(kill, focus === 'time' ? rng.int(0, 300) : rng.int(0, 15)));
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  for (const t of timers) clearTimeout(t);
  assert.equal(signal, 'SIGKILL', `crash-child exited by itself (code ${code}):\n${stderr}`);
  return armed;
}

async function readFiles(reader: VolumeReader): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const name of CRASH_FILES) {
    const attr = await reader.lookup(C, ROOT_INODE, name);
    out.push(await readRange(reader, attr.ino, 0, attr.size));
  }
  return out;
}

/** Snapshot expectations by name: its id (once known) and the per-file sha256 of the content when it was taken. */
type SnapExpectations = Map<string, { id?: string; hashes: string[] }>;

async function checkSnapshots(vol: Volume, records: CrashRecord[], base: Buffer[], log: RoundLog, known: SnapExpectations): Promise<SnapExpectations> {
  const hashesAt = (upto: number): string[] => base.map((b, f) => sha256(contentAt(b, log, f, upto)));
  const candidates = new Map(known);
  const mustExist = new Set(known.keys());
  const deleting = new Set<string>();
  const deleted = new Set<string>();
  for (const r of records) {
    if (r.t === 'snap-start') candidates.set(r.name, { hashes: hashesAt(r.upto) });
    if (r.t === 'snap') {
      mustExist.add(r.name);
      candidates.set(r.name, { id: r.id, hashes: candidates.get(r.name)?.hashes ?? [] });
    }
    if (r.t === 'sdel-start') deleting.add(r.id);
    if (r.t === 'sdel') deleted.add(r.id);
  }
  const listed = await vol.listSnapshots();
  const next: SnapExpectations = new Map();
  for (const s of listed) {
    const want = candidates.get(s.name);
    assert.ok(want, `snapshot ${s.name} (${s.id}) exists but was never started`);
    assert.ok(!deleted.has(s.id), `snapshot ${s.name} was deleted but is still listed`);
    assert.ok(want.id === undefined || want.id === s.id, `snapshot ${s.name} changed its id`);
    const reader = await vol.openSnapshot(s.id);
    try {
      assert.deepEqual((await readFiles(reader)).map(sha256), want.hashes, `snapshot ${s.name} content`);
    } finally {
      await reader.close();
    }
    next.set(s.name, { id: s.id, hashes: want.hashes });
  }
  for (const name of mustExist) {
    const id = candidates.get(name)?.id;
    if (!listed.some((l) => l.name === name)) assert.ok(id !== undefined && deleting.has(id), `snapshot ${name} (${id}) was created but is gone`);
  }
  return next;
}

/** Scratch files: committed ones exist unless their delete began; deleted ones are gone. Then remove the rest. */
async function checkScratch(vol: Volume, records: CrashRecord[]): Promise<void> {
  const names = await listDir(vol, ROOT_INODE);
  const unlinking = new Set(records.flatMap((r) => (r.t === 'unlink-start' ? [r.name] : [])));
  for (const r of records) {
    if (r.t === 'unlink') assert.ok(!names.has(r.name), `${r.name} was unlinked (and committed) but exists`);
    if (r.t === 'tmp' && !unlinking.has(r.name)) assert.ok(names.has(r.name), `${r.name} was committed but is gone`);
  }
  for (const name of names.keys()) if (name.startsWith('tmp-')) await vol.unlink(C, ROOT_INODE, name);
  await vol.commit();
}

test(`committed data survives SIGKILL (${ROUNDS} rounds, seed ${SEED})`, { timeout: 180_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-crash-'));
  const rng = new Prng(SEED);
  try {
    const setup = await openVolume({ dir: path.join(dir, 'vol'), id: CRASH_VOLUME_ID, create: true });
    for (const name of CRASH_FILES) await setup.create(C, ROOT_INODE, name, { mode: 0o644, exclusive: true });
    await setup.close();
    let base: Buffer[] = CRASH_FILES.map(() => Buffer.alloc(0));
    let snaps: SnapExpectations = new Map();
    for (let round = 0; round < ROUNDS; round++) {
      const focus = FOCUSES[round % FOCUSES.length];
      const logFile = path.join(dir, `round-${round}.log`);
      const t0 = Date.now();
      const onCue = await runAndKill(path.join(dir, 'vol'), logFile, SEED * 1000 + round, focus, rng);
      if (process.env.FATHOM_CRASH_VERBOSE) console.log(`round ${round}: ${focus}, ${onCue ? 'killed on cue' : 'cue never came'}, ${Date.now() - t0} ms`);
      const records = readCrashLog(logFile);
      const label = `FATHOM_SEED=${SEED} round ${round} (kill at ${focus}, ${records.length} log records)`;
      const vol = await openVolume({ dir: path.join(dir, 'vol'), id: CRASH_VOLUME_ID });
      try {
        const report = await vol.fsck({ verifyData: true });
        assert.deepEqual(report.problems, [], 'fsck after the kill');
        const log = analyseLog(records);
        if (process.env.FATHOM_CRASH_VERBOSE) {
          console.log(`  ${log.writes.length} writes (${log.writes.filter(log.durable).length} acknowledged durable), ${records.length} records`);
        }
        const actual = await readFiles(vol);
        actual.forEach((content, f) => checkSurvivor(base[f], log, f, content, CRASH_FILES[f]));
        snaps = await checkSnapshots(vol, records, base, log, snaps);
        await checkScratch(vol, records);
        base = actual;
      } catch (e) {
        throw new Error(`${label}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      } finally {
        await vol.close();
      }
    }
    const final = await openVolume({ dir: path.join(dir, 'vol'), id: CRASH_VOLUME_ID });
    try {
      assert.deepEqual((await final.fsck({ verifyData: true })).problems, [], 'fsck after cleanup');
    } finally {
      await final.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
