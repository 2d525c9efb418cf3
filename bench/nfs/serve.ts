// Serves one fresh engine volume at /export over NFS (v3 + MOUNT, and v4 when registered) for benchmarks.
// Usage: node --import tsx bench/nfs/serve.ts [--host H] [--port P] [--dir D]
// Prints "listening HOST PORT" once ready; SIGTERM/SIGINT close the volume and remove a temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openVolume, ROOT_INODE } from '../../src/engine/index.ts';
import { DEFAULT_RULES, StaticExportTable } from '../../src/nfs/exports.ts';
import { startNfsServer } from '../../src/nfs/server.ts';

const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '2049' }, dir: { type: 'string' } } });
const tempDir = values.dir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-bench-'));
const dir = values.dir ?? (tempDir as string);
const volume = await openVolume({ dir, id: 'fs-0123456789abcdef0', create: true });
const exports = new StaticExportTable([{ id: 1, path: '/export', volume, root: ROOT_INODE, fsid: 1n, rules: DEFAULT_RULES }]);
const server = await startNfsServer({ host: values.host, port: Number(values.port), exports, logger: pino({ level: 'warn' }) });
console.log(`listening ${server.host} ${server.port}`);

async function shutdown(): Promise<void> {
  await server.close();
  await volume.close();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
