// Compares outputs of the kernel bench job: "TIME <step> <seconds> s" lines and fio's read/write IOPS.
// Usage: compare-kernel.ts --ganesha G1.txt [G2.txt ...] --fathom F1.txt [F2.txt ...] (one file per round).
// Prints seconds for each server (the median over its rounds) and the speed ratio ganesha/Fathom of the medians
// (above 1 = Fathom faster), and each server's CPU seconds over the guest's run; with several rounds also the
// lowest and highest ratio of a single round (round i against round i), so a reader sees how far one round's ratio
// can move. For jobs that print the client's
// per-operation counters (jobs/op-rtt.sh: "OPS <step> <op> <calls> <rtt ms> <exe ms>"), the calls and mean round
// trip of each operation against both servers (medians).
import fs from 'node:fs';
import { median } from './median.ts';

interface Run {
  times: Map<string, number>;
  iops: Map<string, number>;
  /** `${step} ${op}` → calls and mean RTT (ms) as the client counted them. */
  calls: Map<string, number>;
  rtts: Map<string, number>;
  /** The server's CPU seconds over the guest's whole run (warm-up included). */
  cpu?: number;
  rss?: number;
}

function parse(file: string): Run {
  const run: Run = { times: new Map(), iops: new Map(), calls: new Map(), rtts: new Map() };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const t = /^TIME\s+(\S+)\s+([\d.]+) s/.exec(line);
    if (t) run.times.set(t[1], Number(t[2]));
    const io = /^\s+(read|write): IOPS=([\d.]+)/.exec(line);
    if (io) run.iops.set(`fio-${io[1]}-iops`, Number(io[2]));
    const op = /^OPS (\S+) (\S+) (\d+) ([\d.]+) /.exec(line);
    if (op) {
      run.calls.set(`${op[1]} ${op[2]}`, Number(op[3]));
      run.rtts.set(`${op[1]} ${op[2]}`, Number(op[4]));
    }
    const cpu = /^SERVER_CPU_S ([\d.]+)/.exec(line);
    if (cpu) run.cpu = Number(cpu[1]);
    const rss = /^PEAK_RSS_MIB (\d+)/.exec(line);
    if (rss) run.rss = Number(rss[1]);
  }
  return run;
}

/** A figure's value in each round, by round (undefined where a round lacks it), so round i pairs with round i. */
type Rounds = Array<number | undefined>;

/** Each key's values by round. */
function gather(runs: Run[], pick: (r: Run) => Map<string, number>): Map<string, Rounds> {
  const out = new Map<string, Rounds>();
  runs.forEach((r, i) => {
    for (const [k, v] of pick(r)) {
      const values = out.get(k) ?? new Array<number | undefined>(runs.length).fill(undefined);
      values[i] = v;
      out.set(k, values);
    }
  });
  return out;
}

function sides(argv: string[]): { g: string[]; f: string[] } {
  const gi = argv.indexOf('--ganesha');
  const fi = argv.indexOf('--fathom');
  if (gi < 0 || fi < 0) return { g: [argv[0]], f: [argv[1]] }; // two files: one round each
  return gi < fi ? { g: argv.slice(gi + 1, fi), f: argv.slice(fi + 1) } : { g: argv.slice(gi + 1), f: argv.slice(fi + 1, gi) };
}

const { g: gFiles, f: fFiles } = sides(process.argv.slice(2));
const g = gFiles.map(parse);
const f = fFiles.map(parse);
const rounds = Math.min(g.length, f.length);
const row = (cells: string[]) => console.log(cells[0].padEnd(24) + cells.slice(1).map((c) => c.padStart(10)).join(' '));
/** Lowest and highest ratio of one round's figures (round i of each server), as "lo-hi"; rounds without one left out. */
function spread(gv: Rounds, fv: Rounds, ratio: (g: number, f: number) => number): string {
  if (rounds < 2) return '';
  const rs = gv.slice(0, rounds).flatMap((a, i) => {
    const b = fv[i];
    const r = a === undefined || b === undefined ? NaN : ratio(a, b);
    return Number.isFinite(r) ? [r] : [];
  });
  return rs.length === 0 ? '' : `${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)}`;
}

/**
 * One figure's row: each server's median, the ratio of the medians (above 1 = Fathom better; none where it would
 * divide by 0) and the spread of single rounds.
 */
function compare(name: string, gv: Rounds, fv: Rounds | undefined, digits: number, better: 'lower' | 'higher'): void {
  const ratio = (g: number, f: number): number => (better === 'lower' ? g / f : f / g);
  const mg = median(gv);
  const mf = fv && median(fv);
  const r = mf === undefined ? NaN : ratio(mg, mf);
  const ok = Number.isFinite(r) && fv !== undefined;
  row([name, mg.toFixed(digits), mf === undefined ? '-' : mf.toFixed(digits), ok ? r.toFixed(2) : '-',
    ok ? spread(gv, fv, ratio) : '']);
}

console.log(`rounds: ganesha ${g.length}, fathom ${f.length}${g.length > 1 || f.length > 1 ? ' (medians)' : ''}`);
row(['step (seconds)', 'ganesha', 'fathom', 'speed', rounds > 1 ? 'one round' : '']);
const ft = gather(f, (r) => r.times);
for (const [step, gv] of gather(g, (r) => r.times)) {
  if (!step.startsWith('fio-')) compare(step, gv, ft.get(step), 2, 'lower'); // fio is time-based: its IOPS below
}
const fi = gather(f, (r) => r.iops);
for (const [k, gv] of gather(g, (r) => r.iops)) compare(k, gv, fi.get(k), 0, 'higher');
const gcpu = g.map((r) => r.cpu);
const fcpu = f.map((r) => r.cpu);
if (gcpu.some((c) => c !== undefined) && fcpu.some((c) => c !== undefined)) {
  compare('server CPU s (whole run)', gcpu, fcpu, 1, 'lower');
}
const gc = gather(g, (r) => r.calls);
if (gc.size > 0) {
  const fc = gather(f, (r) => r.calls);
  const gr = gather(g, (r) => r.rtts);
  const fr = gather(f, (r) => r.rtts);
  console.log('\noperation (per step)            calls g / f      RTT ms g / f');
  for (const [key, calls] of gc) {
    const fcalls = fc.get(key);
    const frtt = fr.get(key);
    console.log(`${key.padEnd(32)} ${String(median(calls)).padStart(6)} / ${String(fcalls ? median(fcalls) : '-').padEnd(6)} ` +
      `${median(gr.get(key) as Rounds).toFixed(2).padStart(6)} / ${frtt ? median(frtt).toFixed(2) : '-'}`);
  }
}
const rss = f.flatMap((r) => (r.rss === undefined ? [] : [r.rss]));
const of = rss.length > 1 ? ` (highest of ${rss.length} rounds)` : '';
console.log(`fathom peak RSS: ${rss.length ? `${Math.max(...rss)} MiB${of}` : '?'}`);
