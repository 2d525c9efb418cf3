// Serves one engine volume over NFS (v3, MOUNT, v4) for the kernel-client smoke test, the NFS benchmark and by
// hand. Usage: node --import tsx src/nfs/v4/dev-serve.ts [--port P] [--dir D] [--log LEVEL] [--export PATH]
// [--idle-poll MICROS] (default export path /fs-0123456789abcdef0; idle poll as `fathom serve --nfs-idle-poll`,
// also from FATHOM_NFS_IDLE_POLL_US).
// Prints "listening HOST PORT" once ready; SIGTERM/SIGINT close the volume and remove a temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openVolume, ROOT_INODE } from '../../engine/index.ts';
import { DEFAULT_RULES, StaticExportTable } from '../exports.ts';
import { startNfsServer } from '../server.ts';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '0' },
    dir: { type: 'string' }, log: { type: 'string', default: 'warn' },
    export: { type: 'string', default: '/fs-0123456789abcdef0' },
    'idle-poll': { type: 'string', default: process.env.FATHOM_NFS_IDLE_POLL_US },
  },
});
const tempDir = values.dir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-v4-'));
const dir = values.dir ?? (tempDir as string);
fs.mkdirSync(path.join(dir, 'volume'), { recursive: true });
const volume = await openVolume({ dir: path.join(dir, 'volume'), id: 'fs-0123456789abcdef0', create: true });
const exports = new StaticExportTable([
  { id: 1, path: values.export, volume, root: ROOT_INODE, fsid: 1n, rules: DEFAULT_RULES },
]);
const logger = pino({ level: values.log }, pino.destination(2));
const idlePoll = values['idle-poll'];
const server = await startNfsServer({
  host: values.host, port: Number(values.port), exports, logger, stateDir: path.join(dir, 'state'),
  idlePollMicros: idlePoll === undefined ? undefined : Number(idlePoll),
});
console.log(`listening ${server.host} ${server.port}`);

async function shutdown(): Promise<void> {
  await server.close();
  await volume.close();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
