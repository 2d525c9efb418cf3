// Prints op-cpu.ts's figures for ganesha and Fathom: per phase the median round trip and server CPU per compound
// over the rounds, and the ratio ganesha/Fathom of each (above 1 = Fathom cheaper or faster).
import fs from 'node:fs';
import { median } from './median.ts';

type Figures = Map<string, { rtt: number[]; cpu: number[] }>;

function figures(file: string): Figures {
  const out: Figures = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^OPCPU (\S+) rtt_us=([\d.]+) server_cpu_us=([\d.]+|NaN)/.exec(line);
    if (!m) continue;
    const f = out.get(m[1]) ?? { rtt: [], cpu: [] };
    f.rtt.push(Number(m[2]));
    f.cpu.push(Number(m[3]));
    out.set(m[1], f);
  }
  return out;
}

const [ganesha, fathom] = process.argv.slice(2).map(figures);
const cols = ['rtt µs g / f', 'speed', 'server CPU µs g / f', 'CPU ratio'];
console.log(`${'compound'.padEnd(20)} ${cols[0].padStart(16)} ${cols[1].padStart(6)} ${cols[2].padStart(20)} ${cols[3].padStart(9)}`);
for (const [phase, g] of ganesha) {
  const f = fathom.get(phase);
  if (!f) continue;
  const [gr, fr, gc, fc] = [median(g.rtt), median(f.rtt), median(g.cpu), median(f.cpu)];
  const pair = (a: number, b: number): string => `${a.toFixed(0)} / ${b.toFixed(0)}`;
  console.log(`${phase.padEnd(20)} ${pair(gr, fr).padStart(16)} ${(gr / fr).toFixed(2).padStart(6)} ` +
    `${pair(gc, fc).padStart(20)} ${(gc / fc).toFixed(2).padStart(9)}`);
}
