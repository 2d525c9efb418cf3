// Compares two outputs of the kernel bench job: "TIME <step> <seconds> s" lines and fio's read/write IOPS.
// Prints seconds for each server and the speed ratio ganesha/Fathom (above 1 = Fathom faster).
import fs from 'node:fs';

interface Run {
  times: Map<string, number>;
  iops: Map<string, number>;
  rss?: number;
}

function parse(file: string): Run {
  const run: Run = { times: new Map(), iops: new Map() };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const t = /^TIME\s+(\S+)\s+([\d.]+) s/.exec(line);
    if (t) run.times.set(t[1], Number(t[2]));
    const io = /^\s+(read|write): IOPS=([\d.]+)/.exec(line);
    if (io) run.iops.set(`fio-${io[1]}-iops`, Number(io[2]));
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
console.log(`fathom peak RSS: ${f.rss ?? '?'} MiB`);
