// Debian's libnfs tools over NFSv4.0 against the real listener (startNfsServer) and an engine volume:
// listing the pseudo root and the export, small writes, and reading back with checksums.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { openVolume, ROOT_CALLER, ROOT_INODE, type Volume } from '../../engine/index.ts';
import { DEFAULT_RULES, StaticExportTable } from '../exports.ts';
import { startNfsServer, type NfsServer } from '../server.ts';

const run = promisify(execFile);
const FS = 'fs-0123456789abcdef0';
const haveLibnfs = fs.existsSync('/usr/bin/nfs-ls');

describe('libnfs over NFSv4.0', { skip: !haveLibnfs && 'libnfs-utils not installed' }, () => {
  let dir: string;
  let volume: Volume;
  let server: NfsServer;
  const url = (p: string): string => `nfs://127.0.0.1${p}?version=4&nfsport=${server.port}`;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-v4-libnfs-'));
    volume = await openVolume({ dir: path.join(dir, 'vol'), id: FS, create: true });
    const exports = new StaticExportTable([{ id: 1, path: `/${FS}`, volume, root: ROOT_INODE, fsid: 3n, rules: DEFAULT_RULES }]);
    server = await startNfsServer({ host: '127.0.0.1', port: 0, exports, stateDir: path.join(dir, 'state') });
  });
  after(async () => {
    await server.close();
    await volume.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the pseudo root and the export', async () => {
    const root = await run('nfs-ls', [url('/')]);
    assert.match(root.stdout, new RegExp(FS));
    const sub = await volume.mkdir(ROOT_CALLER, ROOT_INODE, 'sub', 0o755);
    await volume.create(ROOT_CALLER, sub.ino, 'inner.txt', { mode: 0o644 });
    const listing = await run('nfs-ls', [url(`/${FS}/sub`)]);
    assert.match(listing.stdout, /inner\.txt/);
  });

  it('writes a small file with nfs-cp and reads it back identically with nfs-cat', async () => {
    const data = crypto.randomBytes(3000);
    const local = path.join(dir, 'small.bin');
    fs.writeFileSync(local, data);
    await run('nfs-cp', [local, url(`/${FS}/small.bin`)]);
    const attr = await volume.lookup(ROOT_CALLER, ROOT_INODE, 'small.bin');
    assert.equal(attr.size, data.length);
    const back = await run('nfs-cat', [url(`/${FS}/small.bin`)], { encoding: 'buffer', maxBuffer: 1 << 20 });
    assert.equal(crypto.createHash('sha256').update(back.stdout).digest('hex'), crypto.createHash('sha256').update(data).digest('hex'));
  });

  it('reads a larger file written through the engine', async () => {
    const data = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const f = await volume.create(ROOT_CALLER, ROOT_INODE, 'big.bin', { mode: 0o644 });
    await volume.write(ROOT_CALLER, f.attr.ino, 0, data, 'file_sync');
    const back = await run('nfs-cat', [url(`/${FS}/big.bin`)], { encoding: 'buffer', maxBuffer: 8 << 20 });
    assert.ok(Buffer.compare(back.stdout, data) === 0, 'same bytes');
  });
});
