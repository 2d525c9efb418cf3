// Compares two outputs of the kernel bench job: "TIME <step> <seconds> s" lines and fio's read/write IOPS.
// Prints seconds for each server and the speed ratio ganesha/Fathom (above 1 = Fathom faster), and, for jobs that
// print the client's per-operation counters (jobs/op-rtt.sh: "OPS <step> <op> <calls> <rtt ms> <exe ms>"), the
// calls and mean round trip of each operation against both servers.
import fs from 'node:fs';

interface Run {
  times: Map<string, number>;
  iops: Map<string, number>;
  /** `${step} ${op}` → calls and mean RTT (ms) as the client counted them. */
  ops: Map<string, { calls: number; rtt: number }>;
  rss?: number;
}

function parse(file: string): Run {
  const run: Run = { times: new Map(), iops: new Map(), ops: new Map() };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const t = /^TIME\s+(\S+)\s+([\d.]+) s/.exec(line);
    if (t) run.times.set(t[1], Number(t[2]));
    const io = /^\s+(read|write): IOPS=([\d.]+)/.exec(line);
    if (io) run.iops.set(`fio-${io[1]}-iops`, Number(io[2]));
    const op = /^OPS (\S+) (\S+) (\d+) ([\d.]+) /.exec(line);
    if (op) run.ops.set(`${op[1]} ${op[2]}`, { calls: Number(op[3]), rtt: Number(op[4]) });
    const rss = /^PEAK_RSS_MIB (\d+)/.exec(line);
    if (rss) run.rss = Number(rss[1]);
  }
  return run;
}

const [g, f] = process.argv.slice(2).map(parse);
const row = (name: string, a: string, b: string, r: string) =>
  console.log(`${name.padEnd(24)} ${a.padStart(10)} ${b.padStart(10)} ${r.padStart(8)}`);
row('step (seconds)', 'ganesha', 'fathom', 'speed');
for (const [step, tg] of g.times) {
  if (step.startsWith('fio-')) continue; // time-based: its figure is the IOPS below
  const tf = f.times.get(step);
  row(step, tg.toFixed(2), tf === undefined ? '-' : tf.toFixed(2), tf ? (tg / tf).toFixed(2) : '-');
}
for (const [k, ig] of g.iops) {
  const iff = f.iops.get(k);
  row(k, ig.toFixed(0), iff === undefined ? '-' : iff.toFixed(0), iff !== undefined && ig > 0 ? (iff / ig).toFixed(2) : '-');
}
if (g.ops.size > 0) {
  console.log('\noperation (per step)            calls g / f      RTT ms g / f');
  for (const [key, og] of g.ops) {
    const of = f.ops.get(key);
    console.log(`${key.padEnd(32)} ${String(og.calls).padStart(6)} / ${String(of?.calls ?? '-').padEnd(6)} ` +
      `${og.rtt.toFixed(2).padStart(6)} / ${of ? of.rtt.toFixed(2) : '-'}`);
  }
}
console.log(`fathom peak RSS: ${f.rss ?? '?'} MiB`);
