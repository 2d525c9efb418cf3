import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { parseListen } from './listen-address.ts';

test('defaults: local-1 and local-2 on loopback', () => {
  const c = loadConfig({ env: {} });
  assert.deepEqual(c.apiListen, { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(c.nfsListen, { host: '127.0.0.1', port: 2049 });
  assert.deepEqual(c.regions.map((r) => r.name), ['local-1', 'local-2']);
  assert.equal(c.regions[0].subnets[0].id, 'subnet-local-1a');
  assert.equal(c.regions[0].subnets[0].zone, 'local-1a');
  assert.notEqual(c.regions[0].vaultDir, c.regions[1].vaultDir);
});

test('flags beat env, env beats the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-config-'));
  try {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ apiListen: '127.0.0.1:1', nfsListen: '127.0.0.1:2', securityGroups: { 'sg-0123456789abcdef0': ['10.0.0.0/8'] } }));
    const c = loadConfig({ flags: { config: file, apiListen: '127.0.0.1:3' }, env: { FATHOM_NFS_LISTEN: '127.0.0.1:4', FATHOM_DATA_DIR: dir } });
    assert.equal(c.apiListen.port, 3);
    assert.equal(c.nfsListen.port, 4);
    assert.equal(c.dataDir, dir);
    assert.deepEqual(c.securityGroups['sg-0123456789abcdef0'], [{ address: '10.0.0.0', prefix: 8 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('listen addresses', () => {
  assert.deepEqual(parseListen('[::1]:9', 1), { host: '::1', port: 9 });
  assert.deepEqual(parseListen('0.0.0.0', 7), { host: '0.0.0.0', port: 7 });
  assert.throws(() => parseListen('a:b:c', 1));
});

test('NFS idle polling: 100 µs by default, set by flag, environment or file, refused outside 0..1000', () => {
  assert.equal(loadConfig({ env: {} }).nfsIdlePollMicros, 100);
  assert.equal(loadConfig({ env: { FATHOM_NFS_IDLE_POLL_US: '0' } }).nfsIdlePollMicros, 0);
  assert.equal(loadConfig({ flags: { nfsIdlePoll: '250' }, env: { FATHOM_NFS_IDLE_POLL_US: '0' } }).nfsIdlePollMicros, 250);
  for (const bad of ['-1', '1001', '2.5', 'fast', '']) {
    assert.throws(() => loadConfig({ flags: { nfsIdlePoll: bad }, env: {} }), /bad NFS idle poll/, `"${bad}" is refused`);
  }
});
