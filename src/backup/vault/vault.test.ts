import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sha256Hex } from './hash.ts';
import { LocalVaultStore } from './local-store.ts';
import type { Manifest, ManifestBlock } from './manifest.ts';
import { sweepVault } from './sweep.ts';
import { Vault, VaultError } from './vault.ts';
import { verifyVault } from './verify.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function newVault(opts: { packBytes?: number; now?: () => number } = {}): Promise<{ vault: Vault; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-vault-'));
  dirs.push(dir);
  return { vault: await Vault.open(await LocalVaultStore.open(dir), opts), dir };
}

function blob(size: number): { hash: string; data: Buffer } {
  const data = randomBytes(size);
  return { hash: sha256Hex(data), data };
}

function manifest(id: string, blocks: ManifestBlock[]): Manifest {
  return {
    version: 1, backupId: id, type: 'USER_INITIATED', region: 'local-1', fileSystemId: 'fs-0123456789abcdef0',
    createdAt: new Date(0).toISOString(), completedAt: new Date(0).toISOString(), fileSystem: {}, tags: [],
    metadata: { size: 0, chunks: [] }, blocks, dataBytes: blocks.reduce((n, b) => n + b.len, 0),
  };
}

const ref = (b: { hash: string; data: Buffer }): ManifestBlock => ({ sha256: b.hash, len: b.data.length });

describe('vault', () => {
  it('stores blobs once, packs them, and reads them back after reopening', async () => {
    const { vault, dir } = await newVault({ packBytes: 64 * 1024 });
    const blobs = Array.from({ length: 20 }, () => blob(10_000));
    for (const b of blobs) assert.equal(await vault.put(b.hash, b.data), true);
    assert.equal(await vault.put(blobs[0].hash, blobs[0].data), false, 'a second put of the same blob writes nothing');
    await vault.flush();
    const packs = fs.readdirSync(path.join(dir, 'packs'));
    assert.ok(packs.length >= 3 && packs.length <= 5, `20 x 10 KB in 64 KiB packs: ${packs.length} packs`);
    const reopened = await Vault.open(await LocalVaultStore.open(dir));
    for (const b of blobs) assert.deepEqual(await reopened.get(b.hash), b.data);
  });

  it('rejects data that does not match its hash, and a manifest naming a missing blob', async () => {
    const { vault } = await newVault();
    const b = blob(100);
    await assert.rejects(vault.put(b.hash, randomBytes(100)), (e: unknown) => e instanceof VaultError && e.code === 'BlobCorrupt');
    await assert.rejects(vault.putManifest(manifest('backup-00000000000000001', [ref(b)])),
      (e: unknown) => e instanceof VaultError && e.code === 'ManifestIncomplete');
  });

  it('detects a flipped byte on read and in verify', async () => {
    const { vault, dir } = await newVault();
    const a = blob(5000);
    const b = blob(5000);
    await vault.put(a.hash, a.data);
    await vault.put(b.hash, b.data);
    await vault.putManifest(manifest('backup-00000000000000001', [ref(a), ref(b)]));
    assert.deepEqual((await verifyVault(vault)).problems, []);
    const packFile = path.join(dir, 'packs', fs.readdirSync(path.join(dir, 'packs'))[0]);
    const bytes = fs.readFileSync(packFile);
    bytes[6000] ^= 0xff; // inside b
    fs.writeFileSync(packFile, bytes);
    await assert.rejects(vault.get(b.hash), (e: unknown) => e instanceof VaultError && e.code === 'BlobCorrupt');
    assert.deepEqual(await vault.get(a.hash), a.data);
    const report = await verifyVault(vault);
    assert.deepEqual(report.problems.map((p) => [p.kind, p.key]), [['blob-corrupt', b.hash], ['manifest-missing-blob', 'backup-00000000000000001']]);
  });

  it('reports a missing pack and an unreadable manifest', async () => {
    const { vault, dir } = await newVault();
    const a = blob(100);
    await vault.put(a.hash, a.data);
    await vault.putManifest(manifest('backup-00000000000000001', [ref(a)]));
    fs.writeFileSync(path.join(dir, 'manifests', 'backup-00000000000000002.json'), '{"not":');
    fs.rmSync(path.join(dir, 'packs'), { recursive: true });
    const kinds = (await verifyVault(vault)).problems.map((p) => p.kind).sort();
    assert.deepEqual(kinds, ['manifest-missing-blob', 'manifest-unreadable', 'pack-missing']);
  });

  it('sweeps only unreferenced blobs older than the grace period, rewriting mostly-dead packs', async () => {
    let now = 1_000_000;
    const { vault } = await newVault({ now: () => now });
    const shared = blob(10_000);
    const onlyFirst = blob(50_000);
    const onlySecond = blob(10_000);
    for (const b of [shared, onlyFirst]) await vault.put(b.hash, b.data);
    await vault.putManifest(manifest('backup-00000000000000001', [ref(shared), ref(onlyFirst)]));
    await vault.put(onlySecond.hash, onlySecond.data);
    await vault.putManifest(manifest('backup-00000000000000002', [ref(shared), ref(onlySecond)]));
    const before = await vault.sizeBytes();

    await vault.deleteManifest('backup-00000000000000001');
    const young = await sweepVault(vault, { graceMs: 60_000 });
    assert.equal(young.ran, true);
    assert.equal(young.blobsRemoved, 0, 'nothing is removed inside the grace period');
    assert.deepEqual(await vault.get(onlyFirst.hash), onlyFirst.data);

    now += 120_000;
    const old = await sweepVault(vault, { graceMs: 60_000 });
    assert.equal(old.blobsRemoved, 1);
    assert.equal(old.packsRewritten, 1, 'the first pack (shared + dead 50 KB) is rewritten');
    assert.equal(vault.has(onlyFirst.hash), false);
    const reopened = await Vault.open(vault.store);
    assert.deepEqual(await reopened.get(shared.hash), shared.data);
    assert.deepEqual(await reopened.get(onlySecond.hash), onlySecond.data);
    assert.equal(reopened.has(onlyFirst.hash), false);
    const shrink = before - (await vault.sizeBytes());
    assert.ok(shrink >= 50_000 && shrink < 52_000, `vault shrank by the unique 50 KB (+ its manifest): ${shrink}`);
    assert.deepEqual((await verifyVault(reopened)).problems, []);
  });

  it('does not sweep while a backup holds the vault', async () => {
    let now = 0;
    const { vault } = await newVault({ now: () => now });
    const a = blob(100);
    await vault.put(a.hash, a.data);
    await vault.flush();
    now += 10 * 3600_000;
    const lock = await vault.jobLock();
    assert.equal((await sweepVault(vault)).ran, false);
    assert.equal(vault.has(a.hash), true);
    await lock.release();
    const report = await sweepVault(vault);
    assert.equal(report.ran, true);
    assert.equal(report.packsDeleted, 1);
    assert.equal(vault.has(a.hash), false);
  });

  it('removes packs whose index was never written once they are past the grace period', async () => {
    let now = 0;
    const { vault, dir } = await newVault({ now: () => now });
    const a = blob(100);
    await vault.put(a.hash, a.data);
    await vault.flush();
    fs.rmSync(path.join(dir, 'index'), { recursive: true }); // as if killed between pack and index
    const reopened = await Vault.open(await LocalVaultStore.open(dir), { now: () => now });
    assert.equal(reopened.has(a.hash), false);
    now += 2 * 3600_000;
    await sweepVault(reopened);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'packs')), []);
  });
});
