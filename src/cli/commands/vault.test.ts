import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BackupService } from '../../backup/backup-service.ts';
import { fillVolume } from '../../backup/testing/volume-tree.ts';
import { openVolume } from '../../engine/index.ts';

const CLI = fileURLToPath(new URL('../../backup/testing/vault-cli.ts', import.meta.url));

/** Runs `fathom <args>` in a child process; returns stdout, stderr and the exit code. */
function fathom(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, FATHOM_CONFIG: '' } }, (e, out, err) => {
      resolve({ out, err, code: e ? Number((e as { code?: number }).code ?? 1) : 0 });
    });
  });
}

describe('fathom vault / fathom backup', () => {
  let dir: string;
  let backupId: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-cli-vault-'));
    const volume = await openVolume({ dir: path.join(dir, 'volumes', 'fs-0000000000000000a'), id: 'fs-0000000000000000a', create: true });
    await fillVolume(volume, 5, 100_000);
    const svc = await BackupService.open({ dataDir: dir, vaults: new Map([['local-1', path.join(dir, 'vaults', 'local-1')]]) });
    const b = svc.createBackup({ region: 'local-1', fileSystemId: 'fs-0000000000000000a', volume, type: 'AWS_BACKUP', fileSystem: { FileSystemId: 'fs-0000000000000000a' } });
    backupId = (await svc.waitFor('local-1', b.backupId)).backupId;
    await svc.close();
    await volume.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists, describes, copies, verifies and deletes (AWS_BACKUP too)', async () => {
    const listed = JSON.parse((await fathom('backup', 'list', '--data-dir', dir, '--output', 'json')).out) as { Backups: Array<Record<string, unknown>> };
    assert.deepEqual(listed.Backups.map((b) => [b.BackupId, b.Type, b.Lifecycle, b.ProgressPercent]), [[backupId, 'AWS_BACKUP', 'AVAILABLE', 100]]);
    const table = await fathom('backup', 'describe', backupId, '--data-dir', dir);
    assert.match(table.out, new RegExp(`${backupId}\\s+fs-0000000000000000a\\s+AWS_BACKUP\\s+AVAILABLE\\s+100%`));

    const copied = await fathom('backup', 'copy', backupId, '--source-region', 'local-1', '--region', 'local-2', '--data-dir', dir, '--output', 'json');
    const copy = (JSON.parse(copied.out) as { Backups: Array<Record<string, unknown>> }).Backups[0];
    assert.deepEqual([copy.Lifecycle, copy.SourceBackupId, copy.SourceBackupRegion, copy.Type], ['AVAILABLE', backupId, 'local-1', 'USER_INITIATED']);

    const clean = await fathom('vault', 'verify', '--data-dir', dir, '--output', 'json');
    assert.equal(clean.code, 0);
    const vaults = (JSON.parse(clean.out) as { Vaults: Array<{ region: string; blobs: number; problems: unknown[] }> }).Vaults;
    assert.deepEqual(vaults.map((v) => [v.region, v.problems.length]), [['local-1', 0], ['local-2', 0]]);
    assert.ok(vaults[1].blobs >= 5);

    const deleted = await fathom('backup', 'delete', backupId, '--data-dir', dir);
    assert.equal(deleted.code, 0);
    assert.match(deleted.out, /DELETED/);
    const gone = await fathom('backup', 'describe', backupId, '--data-dir', dir);
    assert.equal(gone.code, 1);
    assert.match(gone.err, /BackupNotFound/);
  });

  it('reports a damaged blob and exits 1', async () => {
    const packs = path.join(dir, 'vaults', 'local-2', 'packs');
    const file = path.join(packs, fs.readdirSync(packs)[0]);
    const bytes = fs.readFileSync(file);
    bytes[10] ^= 1;
    fs.writeFileSync(file, bytes);
    const r = await fathom('vault', 'verify', '--region', 'local-2', '--data-dir', dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /PROBLEM local-2 blob-corrupt [0-9a-f]{64}/);
    assert.match(r.out, /PROBLEM local-2 manifest-missing-blob backup-/);
  });
});
