// kill -9 during backups, copies and deletions (a child process loops over them), then reopen: every
// vault verifies clean, exactly the AVAILABLE backups have manifests, and the newest one restores intact.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openVolume, ROOT_CALLER, ROOT_INODE } from '../engine/index.ts';
import { BackupService } from './backup-service.ts';
import { IN_PROGRESS } from './backup-record.ts';
import { isBackupError } from './backup-errors.ts';
import { restoreFileSystem, restoreSource, resumeHydration } from './restore.ts';
import { describeTree, fileBytes } from './testing/volume-tree.ts';
import { verifyVault } from './vault/verify.ts';

const FS_ID = 'fs-0000000000000000a';
const FILES = 16;
const FILE_BYTES = 300 * 1024;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-backup-crash-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const vaults = new Map([['local-1', path.join(root, 'vaults', 'local-1')], ['local-2', path.join(root, 'vaults', 'local-2')]]);

/** Runs the child until it has printed `lines` lines, then SIGKILLs it. */
function runAndKill(lines: number, args: string[] = ['loop', root, FS_ID, String(FILES), String(FILE_BYTES)]): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./testing/crash-child.ts', import.meta.url)), ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      seen.push(...parts);
      if (seen.length >= lines) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(seen) : reject(new Error(`child exited ${code}: ${seen.join(' | ')}`))));
  });
}

async function checkAfterCrash(round: number): Promise<void> {
  const svc = await BackupService.open({ dataDir: root, vaults, graceMs: 0, vaultOptions: { packBytes: 1024 * 1024 } });
  try {
    for (const region of vaults.keys()) {
      for (const r of svc.describeBackups({ region })) if (IN_PROGRESS.includes(r.lifecycle)) await svc.waitFor(region, r.backupId);
      await svc.sweep(region);
      const vault = await svc.vaults.get(region);
      assert.deepEqual((await verifyVault(vault)).problems, [], `round ${round}: ${region} verifies clean`);
      const available = svc.describeBackups({ region }).filter((r) => r.lifecycle === 'AVAILABLE').map((r) => r.backupId).sort();
      assert.deepEqual((await vault.listManifestIds()).sort(), available, `round ${round}: ${region}: manifests are exactly the AVAILABLE backups`);
      assert.ok(svc.describeBackups({ region }).every((r) => r.lifecycle === 'AVAILABLE' || r.lifecycle === 'FAILED'), 'nothing stays in progress');
    }
    const newest = svc.describeBackups({ region: 'local-2' }).filter((r) => r.lifecycle === 'AVAILABLE').pop();
    if (newest) {
      const dir = path.join(root, 'volumes', `restored-${round}`);
      const r = await restoreFileSystem(svc, { region: 'local-2', backupId: newest.backupId, fileSystemId: 'fs-0000000000000000b', dir });
      await r.hydrated;
      assert.deepEqual((await r.volume.fsck({ verifyData: true })).problems, []);
      await r.volume.close();
    }
  } finally {
    await svc.close();
  }
}

it('kill -9 during backup, copy and deletion leaves the vaults consistent', async () => {
  const v = await openVolume({ dir: path.join(root, 'volumes', FS_ID), id: FS_ID, create: true });
  for (let i = 0; i < FILES; i++) {
    const f = (await v.create(ROOT_CALLER, ROOT_INODE, `f${i}`, { mode: 0o644 })).attr;
    await v.write(ROOT_CALLER, f.ino, 0, fileBytes(i, FILE_BYTES), 'unstable');
  }
  await v.close();
  for (const [round, lines] of [3, 8, 13].entries()) {
    const seen = await runAndKill(lines);
    assert.ok(seen.length >= lines);
    await checkAfterCrash(round);
  }
  const again = await openVolume({ dir: path.join(root, 'volumes', FS_ID), id: FS_ID });
  assert.deepEqual((await again.fsck()).problems, []);
  await again.close();
});

it('kill -9 during hydration of a restore: reopened with its source, it hydrates and matches a clean restore', async () => {
  const svc = await BackupService.open({ dataDir: root, vaults, graceMs: 0 });
  const backup = svc.describeBackups({ region: 'local-2' }).filter((r) => r.lifecycle === 'AVAILABLE').pop();
  assert.ok(backup, 'the previous test left backups');
  const reference = await restoreFileSystem(svc, { region: 'local-2', backupId: backup.backupId, fileSystemId: 'fs-0000000000000000c', dir: path.join(root, 'volumes', 'ref') });
  await reference.hydrated;
  await svc.close();

  const dir = path.join(root, 'volumes', 'killed');
  const seen = await runAndKill(6, ['restore', root, 'local-2', backup.backupId, 'fs-0000000000000000d', dir]);
  assert.ok(seen.includes('available'), seen.join(' | '));
  assert.ok(!seen.includes('done'), 'killed before hydration ended');

  const again = await BackupService.open({ dataDir: root, vaults, graceMs: 0 });
  try {
    await assert.rejects(again.deleteBackup('local-2', backup.backupId), (e: unknown) => isBackupError(e, 'BackupRestoring'));
    const volume = await openVolume({ dir, id: 'fs-0000000000000000d', source: await restoreSource(again, 'fs-0000000000000000d') });
    await resumeHydration(again, 'fs-0000000000000000d', volume);
    const h = await volume.hydration();
    assert.equal(h.bytesLocal, h.bytesTotal);
    assert.deepEqual(await describeTree(volume), await describeTree(reference.volume));
    assert.deepEqual((await volume.fsck({ verifyData: true })).problems, []);
    assert.deepEqual(again.records.restoringFrom('local-2', backup.backupId), [], 'hydrated restores no longer pin the backup');
    await volume.close();
  } finally {
    await reference.volume.close();
    await again.close();
  }
});
