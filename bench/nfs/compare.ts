// Prints each figure for ganesha and Fathom and a ratio where above 1 means Fathom is better: Fathom/ganesha for
// rates, ganesha/Fathom for the servers' CPU seconds (cpu_*). A figure measured in several rounds is their median
// (peak RSS: the maximum). The steady-state figures come first, then the first pass over a fresh server (cold_*).
import fs from 'node:fs';
import { median } from './median.ts';

function figures(file: string): Map<string, number> {
  const rounds = new Map<string, number[]>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('FIGURE ')) continue;
    for (const kv of line.split(' ').slice(2)) {
      const [k, v] = kv.split('=');
      if (k && v !== undefined && !Number.isNaN(Number(v))) rounds.set(k, [...(rounds.get(k) ?? []), Number(v)]);
    }
  }
  return new Map([...rounds].map(([k, vs]) => [k, k === 'peak_rss_mib' ? Math.max(...vs) : median(vs)]));
}

const [ganeshaFile, fathomFile] = process.argv.slice(2);
const ganesha = figures(ganeshaFile);
const fathom = figures(fathomFile);
console.log(`${'figure'.padEnd(24)} ${'ganesha'.padStart(12)} ${'fathom'.padStart(12)} ${'ratio'.padStart(7)}`);
const cold = (k: string): boolean => k.startsWith('cold_');
const keys = [...ganesha.keys()].filter((k) => !k.endsWith('mount_ms'));
for (const k of [...keys.filter((k) => !cold(k)), ...keys.filter(cold)]) {
  const g = ganesha.get(k) as number;
  const f = fathom.get(k);
  const lowerIsBetter = k.replace(/^cold_/, '').startsWith('cpu_');
  const ratio = f === undefined || g <= 0 || f <= 0 ? '-' : (lowerIsBetter ? g / f : f / g).toFixed(2);
  console.log(`${k.padEnd(24)} ${g.toFixed(1).padStart(12)} ${(f ?? NaN).toFixed(1).padStart(12)} ${ratio.padStart(7)}`);
}
console.log(`fathom peak RSS: ${fathom.get('peak_rss_mib') ?? '?'} MiB`);
