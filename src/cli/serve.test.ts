// `fathom serve` as an operator runs it: banner with the endpoint and the root key (once), the key file
// at mode 0600, a working API for `aws`, an NFS listener, and a clean exit on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aws, AWS_CLIS } from '../api/testing/aws-cli.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** A port that was free a moment ago (the server needs fixed ports on its command line). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

test('serve prints where it listens and the root key; aws works; SIGTERM exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-serve-'));
  const apiPort = await freePort();
  const nfsPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve', '--data-dir', dir, '--api-listen', `127.0.0.1:${apiPort}`,
    '--nfs-listen', `127.0.0.1:${nfsPort}`, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => {
        if (out.includes('Try: aws')) resolve();
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
    });
    assert.match(out, new RegExp(`API \\(EFS \\+ FSx\\):\\s+http://127\\.0\\.0\\.1:${apiPort}`));
    assert.match(out, new RegExp(`NFS \\(v3, v4\\.x\\):\\s+127\\.0\\.0\\.1:${nfsPort}`));
    const key = /AWS_ACCESS_KEY_ID=(\S+)\n\s+AWS_SECRET_ACCESS_KEY=(\S+)/.exec(out);
    assert.ok(key, 'the root key is printed on first start');
    assert.equal(statSync(join(dir, 'root-credentials')).mode & 0o777, 0o600);

    const r = await aws(AWS_CLIS[0].bin, { url: `http://127.0.0.1:${apiPort}`, credentials: { accessKeyId: key[1], secretAccessKey: key[2] } },
      ['efs', 'describe-file-systems']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json<{ FileSystems: unknown[] }>().FileSystems, []);

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('subnets with their own NFS listener are served by one NFS server, each address in the banner', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-serve-'));
  const [apiPort, nfsA, nfsB] = [await freePort(), await freePort(), await freePort()];
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({
    regions: [{ name: 'local-1', zones: [{ name: 'local-1a', id: 'local1-az1' }, { name: 'local-1b', id: 'local1-az2' }],
      subnets: [{ id: 'subnet-a', zone: 'local-1a', nfsListen: `127.0.0.1:${nfsA}` }, { id: 'subnet-b', zone: 'local-1b', nfsListen: `127.0.0.1:${nfsB}` }] }],
  }));
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve', '--data-dir', dir, '--api-listen', `127.0.0.1:${apiPort}`,
    '--nfs-listen', `127.0.0.1:${nfsA}`, '--config', config, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Try: aws')) resolve();
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
    });
    for (const port of [nfsA, nfsB]) assert.match(out, new RegExp(`NFS \\(v3, v4\\.x\\):\\s+127\\.0\\.0\\.1:${port}`));
    assert.equal(out.match(/NFS \(v3, v4\.x\)/g)?.length, 2, 'each address once');
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
