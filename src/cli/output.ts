// Output for operators: aligned tables by default, JSON with --output json; errors to stderr with exit 1.
export type OutputFormat = 'table' | 'json';

export interface Table {
  headers: string[];
  rows: string[][];
}

export function formatTable(t: Table): string {
  const widths = t.headers.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(t.headers), ...t.rows.map(line)].join('\n');
}

export function print(format: OutputFormat, json: unknown, table: () => Table): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : `${formatTable(table())}\n`);
}

/** Human size: 1536 → "1.5 KiB". */
export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}
