// The service layer on real engine volumes: restart recovery, stable export ids, export rules from
// security groups and policies, FSx exports on their subnets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type FathomConfig } from '../config/config.ts';
import { ServiceExportTable } from './export-table.ts';
import { FathomService } from './service.ts';

const scope = { region: 'local-1' };
const ctx = { clientAddress: '10.1.2.3', localAddress: '127.0.0.1' };

function config(dataDir: string): FathomConfig {
  const c = loadConfig({ flags: { dataDir }, env: {} });
  return { ...c, securityGroups: { 'sg-0000000000000000a': [{ address: '10.0.0.0', prefix: 8 }] } };
}

test('exports follow mount targets, access points, policies and security groups; ids survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-service-'));
  try {
    let svc = await FathomService.open({ config: config(dir), accountId: '123456789012' });
    const fs = svc.fileSystems.createEfs(scope, { creationToken: 't' });
    await svc.idle();
    const table = new ServiceExportTable(svc, config(dir));
    assert.deepEqual(table.list(ctx), [], 'no mount target, no export');
    svc.mountTargets.create(scope, { fileSystemId: fs.id, subnetId: 'subnet-local-1a', securityGroups: ['sg-0000000000000000a'] });
    const ap = svc.accessPoints.create(scope, { clientToken: 'c', fileSystemId: fs.id, posixUser: { uid: 7, gid: 8, secondaryGids: [] } });
    await svc.idle();
    const exported = table.list(ctx);
    assert.deepEqual(exported.map((e) => e.path).sort(), [`/${ap.id}`, `/${fs.id}`].sort());
    const fsExport = table.byPath(`/${fs.id}`, ctx);
    assert.deepEqual(fsExport?.rules.allowedClients, [{ address: '10.0.0.0', prefix: 8 }]);
    assert.deepEqual(table.byPath(`/${ap.id}`, ctx)?.rules.forcedIdentity, { uid: 7, gid: 8, gids: [] });
    assert.equal(table.byPath(`/${fs.id}`, { ...ctx, localAddress: '192.0.2.1' }), undefined, 'other listeners do not serve it');
    svc.settings.putPolicy(scope, fs.id, JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'elasticfilesystem:ClientMount' }] }));
    assert.equal(table.byPath(`/${fs.id}`, ctx)?.rules.readOnly, true);
    const ids = exported.map((e) => [e.path, e.id]).sort();
    await svc.close();

    svc = await FathomService.open({ config: config(dir), accountId: '123456789012' });
    const again = new ServiceExportTable(svc, config(dir));
    assert.deepEqual(again.list(ctx).map((e) => [e.path, e.id]).sort(), ids);
    assert.equal(svc.fileSystems.rows.get(scope, 'efs', fs.id).state, 'available');
    await svc.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('FSx file systems are exported on their subnets without mount targets, with a hard capacity', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-service-'));
  try {
    const svc = await FathomService.open({ config: config(dir), accountId: '123456789012' });
    const fs = svc.fsx.create(scope, { fileSystemType: 'WINDOWS', storageCapacity: 32, subnetIds: ['subnet-local-1a'], windowsConfiguration: { ThroughputCapacity: 8 } });
    await svc.idle();
    const table = new ServiceExportTable(svc, config(dir));
    assert.deepEqual(table.list(ctx).map((e) => e.path), [`/${fs.id}`]);
    const statfs = await table.list(ctx)[0].volume.statfs();
    assert.equal(statfs.totalBytes, 32 * 1024 ** 3);
    await svc.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a volume that cannot be created leaves the file system in error, and it can still be deleted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-service-'));
  try {
    const failing = {
      open: () => Promise.reject(new Error('disk full')),
      adopt: () => Promise.reject(new Error('disk full')),
      get: () => undefined,
      destroy: () => Promise.resolve(),
      closeAll: () => Promise.resolve(),
    };
    const svc = await FathomService.open({ config: config(dir), accountId: '123456789012', volumes: failing });
    const fs = svc.fileSystems.createEfs(scope, { creationToken: 'x' });
    await svc.idle();
    const after = svc.fileSystems.rows.get(scope, 'efs', fs.id);
    assert.equal(after.state, 'error');
    assert.equal(after.failure, 'disk full');
    assert.throws(() => svc.mountTargets.create(scope, { fileSystemId: fs.id, subnetId: 'subnet-local-1a' }), { code: 'IncorrectFileSystemLifeCycleState' });
    svc.fileSystems.delete(scope, 'efs', fs.id);
    await svc.idle();
    assert.throws(() => svc.fileSystems.rows.get(scope, 'efs', fs.id), { code: 'FileSystemNotFound' });
    await svc.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
