// Compares outputs of the kernel bench job: "TIME <step> <seconds> s" lines and fio's read/write IOPS.
// Usage: compare-kernel.ts --ganesha G1.txt [G2.txt ...] --fathom F1.txt [F2.txt ...] (one file per round).
// Prints seconds for each server (the median over its rounds) and the speed ratio ganesha/Fathom of the medians
// (above 1 = Fathom faster), and each server's CPU seconds over the guest's run; with several rounds also the
// lowest and highest ratio of a single round (round i against round i), so a reader sees how far one round's ratio
// can move. For jobs that print the client's
// per-operation counters (jobs/op-rtt.sh: "OPS <step> <op> <calls> <rtt ms> <exe ms>"), the calls and mean round
// trip of each operation against both servers (medians).
import fs from 'node:fs';

interface Run {
  times: Map<string, number>;
  iops: Map<string, number>;
  /** `${step} ${op}` → calls and mean RTT (ms) as the client counted them. */
  calls: Map<string, number>;
  rtts: Map<string, number>;
  /** The server's CPU seconds over the guest's whole run (warm-up included), one key. */
  cpu: Map<string, number>;
  rss?: number;
}

function parse(file: string): Run {
  const run: Run = { times: new Map(), iops: new Map(), calls: new Map(), rtts: new Map(), cpu: new Map() };
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
    if (cpu) run.cpu.set('server-cpu-s', Number(cpu[1]));
    const rss = /^PEAK_RSS_MIB (\d+)/.exec(line);
    if (rss) run.rss = Number(rss[1]);
  }
  return run;
}

/** Of the rounds that have the figure. */
function median(xs: Array<number | undefined>): number {
  const s = xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Each key's value in each round, by round (undefined where a round lacks it), so round i pairs with round i. */
function gather(runs: Run[], pick: (r: Run) => Map<string, number>): Map<string, Array<number | undefined>> {
  const out = new Map<string, Array<number | undefined>>();
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
/** Lowest and highest ratio of one round's figures (round i of each server), as "lo-hi". */
type Rounds = Array<number | undefined>;
function spread(gv: Rounds | undefined, fv: Rounds | undefined, ratio: (a: number, b: number) => number): string {
  if (!gv || !fv || rounds < 2) return '';
  const rs = gv.slice(0, rounds).flatMap((a, i) => {
    const b = fv[i];
    return a === undefined || b === undefined ? [] : [ratio(a, b)];
  });
  return rs.length === 0 ? '' : `${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)}`;
}

console.log(`rounds: ganesha ${g.length}, fathom ${f.length}${g.length > 1 || f.length > 1 ? ' (medians)' : ''}`);
row(['step (seconds)', 'ganesha', 'fathom', 'speed', rounds > 1 ? 'one round' : '']);
const gt = gather(g, (r) => r.times);
const ft = gather(f, (r) => r.times);
for (const [step, gv] of gt) {
  if (step.startsWith('fio-')) continue; // time-based: its figure is the IOPS below
  const fv = ft.get(step);
  const tg = median(gv);
  const tf = fv && median(fv);
  row([step, tg.toFixed(2), tf === undefined ? '-' : tf.toFixed(2), tf ? (tg / tf).toFixed(2) : '-', spread(gv, fv, (a, b) => a / b)]);
}
const gi = gather(g, (r) => r.iops);
const fi = gather(f, (r) => r.iops);
for (const [k, gv] of gi) {
  const fv = fi.get(k);
  const ig = median(gv);
  const iff = fv && median(fv);
  row([k, ig.toFixed(0), iff === undefined ? '-' : iff.toFixed(0), iff !== undefined && ig > 0 ? (iff / ig).toFixed(2) : '-', spread(gv, fv, (a, b) => b / a)]);
}
// CPU: the ratio is ganesha/Fathom as for the times (above 1 = Fathom used less).
const gcpu = gather(g, (r) => r.cpu).get('server-cpu-s');
const fcpu = gather(f, (r) => r.cpu).get('server-cpu-s');
if (gcpu && fcpu) {
  const a = median(gcpu);
  const b = median(fcpu);
  row(['server CPU s (whole run)', a.toFixed(1), b.toFixed(1), b > 0 ? (a / b).toFixed(2) : '-', b > 0 ? spread(gcpu, fcpu, (x, y) => x / y) : '']);
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
