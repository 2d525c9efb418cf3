// The crash test's victim: random writes, commits, snapshots and deletes on a volume, logging what the engine
// acknowledged as durable, until the parent SIGKILLs it. Usage: crash-child.ts <volume-dir> <log> <seed> <focus>
// (focus: the phase to favour and announce on stdout as "phase <focus>" just before it starts; "time" is
// announced once, at a random step, for a kill at a random moment).
import { openVolume } from './index.ts';
import { CRASH_FILES, CRASH_VOLUME_ID, CrashLogWriter, sha256 } from './model/crash-log.ts';
import { Prng, seededBytes } from './model/prng.ts';
import { ROOT_CALLER as C, ROOT_INODE, type InodeNumber, type Volume } from './types.ts';

const MiB = 1024 * 1024;
type Action = 'write' | 'commit' | 'snapshot' | 'snapdel' | 'unlink';
const MIN_STEPS = 8;

async function main(): Promise<void> {
  const [dir, logFile, seedText, focus] = process.argv.slice(2);
  const rng = new Prng(Number(seedText));
  const log = new CrashLogWriter(logFile);
  const vol = await openVolume({ dir, id: CRASH_VOLUME_ID });
  const inos: InodeNumber[] = [];
  for (const name of CRASH_FILES) inos.push((await vol.lookup(C, ROOT_INODE, name)).ino);
  const snapshots = (await vol.listSnapshots()).map((s) => s.id);
  const weights: Record<Action, number> = { write: 70, commit: 15, snapshot: 4, snapdel: 3, unlink: 4 };
  if (focus in weights) weights[focus as Action] = 25;
  if (focus === 'snapdel') weights.snapshot = 15;
  process.stdout.write('ready\n');
  // Announce the kill cue only after some work, so that every round leaves a log worth checking.
  const minSteps = rng.int(MIN_STEPS, 3 * MIN_STEPS);
  let next = 0;
  for (let step = 0; ; step++) {
    let action = rng.weighted(weights);
    if (action === 'snapshot' && snapshots.length >= 3) action = 'snapdel';
    if (action === 'snapdel' && snapshots.length < 2) action = 'snapshot';
    if (focus === 'time' && step === minSteps) process.stdout.write('phase time\n');
    const announce = (): void => {
      if (action === focus && step >= minSteps) process.stdout.write(`phase ${focus}\n`);
    };
    if (action === 'write') await write(vol, log, rng, inos, next++);
    else if (action === 'commit') await commit(vol, log, rng, inos, next - 1);
    else if (action === 'snapshot') {
      await vol.commit();
      log.append({ t: 'c', upto: next - 1 });
      const name = `snap-${seedText}-${step}`;
      log.append({ t: 'snap-start', name, upto: next - 1 });
      announce();
      const info = await vol.snapshot(name);
      snapshots.push(info.id);
      log.append({ t: 'snap', name, id: info.id, upto: next - 1 });
    } else if (action === 'snapdel') {
      const id = snapshots.shift() as string;
      log.append({ t: 'sdel-start', id });
      announce();
      await vol.deleteSnapshot(id);
      log.append({ t: 'sdel', id });
    } else await scratchFile(vol, log, rng, `tmp-${seedText}-${step}`, announce);
  }
}

async function write(vol: Volume, log: CrashLogWriter, rng: Prng, inos: InodeNumber[], i: number): Promise<void> {
  const f = rng.int(0, inos.length - 1);
  const len = rng.int(1, 256 * 1024);
  const off = rng.int(0, 2 * MiB);
  const seed = rng.nextU32();
  const data = seededBytes(seed, len);
  const sync = rng.chance(0.25);
  log.append({ t: 'w', i, f, off, len, seed, h: sha256(data) });
  await vol.write(C, inos[f], off, data, sync ? 'file_sync' : 'unstable');
  if (sync) log.append({ t: 'd', i });
}

async function commit(vol: Volume, log: CrashLogWriter, rng: Prng, inos: InodeNumber[], upto: number): Promise<void> {
  if (rng.chance(0.5)) {
    const f = rng.int(0, inos.length - 1);
    await vol.commit(inos[f]);
    log.append({ t: 'c', upto, f });
  } else {
    await vol.commit();
    log.append({ t: 'c', upto });
  }
}

/** Create, fill and commit a scratch file, then delete it: a kill here tests delete + block GC recovery. */
async function scratchFile(vol: Volume, log: CrashLogWriter, rng: Prng, name: string, announce: () => void): Promise<void> {
  const { attr } = await vol.create(C, ROOT_INODE, name, { mode: 0o644, exclusive: true });
  await vol.write(C, attr.ino, 0, seededBytes(rng.nextU32(), rng.int(1, 2 * MiB)), 'unstable');
  await vol.commit(attr.ino);
  log.append({ t: 'tmp', name });
  log.append({ t: 'unlink-start', name });
  announce();
  await vol.unlink(C, ROOT_INODE, name);
  await vol.commit();
  log.append({ t: 'unlink', name });
}

main().catch((e: unknown) => {
  process.stderr.write(`crash-child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(2);
});
