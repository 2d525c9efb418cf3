// A file system restored from a backup survives a restart of the service: its volume is reopened with the
// vault as block source (data not yet hydrated is still readable), and deleting it releases its backup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CALLER, ROOT_INODE } from '../engine/index.ts';
import { loadConfig } from '../config/config.ts';
import { deleteFsxFileSystem } from './fsx-deletion.ts';
import { FathomService } from './service.ts';

const scope = { region: 'local-1' };

test('a restored file system is reopened from its vault after a restart; its deletion unpins the backup', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-restore-'));
  const config = loadConfig({ flags: { dataDir: dir }, env: {} });
  try {
    let svc = await FathomService.open({ config, accountId: '123456789012', backup: { graceMs: 0 } });
    const fs = svc.fsx.create(scope, { fileSystemType: 'WINDOWS', storageCapacity: 32, subnetIds: ['subnet-local-1a'],
      windowsConfiguration: { ThroughputCapacity: 8 } });
    await svc.idle();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const volume = svc.ctx.volumes.get(fs.id);
    assert.ok(volume);
    const file = await volume.create(ROOT_CALLER, ROOT_INODE, 'data.bin', { mode: 0o644 });
    await volume.write(ROOT_CALLER, file.attr.ino, 0, data, 'file_sync');
    const backup = svc.backups.create(scope, { fileSystemId: fs.id });
    assert.equal((await svc.backups.backups.waitFor('local-1', backup.backupId)).lifecycle, 'AVAILABLE');

    const restored = svc.restores.create(scope, { backupId: backup.backupId, subnetIds: ['subnet-local-1a'] });
    assert.equal(restored.state, 'creating');
    await svc.idle();
    assert.equal(svc.fileSystems.rows.get(scope, 'fsx', restored.id).state, 'available');
    await assert.rejects(svc.backups.delete(scope, backup.backupId), { code: 'BackupRestoring' });
    await svc.close();

    svc = await FathomService.open({ config, accountId: '123456789012', backup: { graceMs: 0 } });
    const reopened = svc.ctx.volumes.get(restored.id);
    assert.ok(reopened, 'the restored volume is open after the restart');
    const attr = await reopened.lookup(ROOT_CALLER, ROOT_INODE, 'data.bin');
    const back = await reopened.read(ROOT_CALLER, attr.ino, 0, data.length);
    assert.ok(back.data.equals(data));

    const { finalBackupId } = deleteFsxFileSystem(svc.fileSystems, svc.backups, scope, restored.id, { skipFinalBackup: true });
    assert.equal(finalBackupId, undefined);
    await svc.idle();
    assert.throws(() => svc.fileSystems.rows.get(scope, 'fsx', restored.id), { code: 'FileSystemNotFound' });
    assert.equal((await svc.backups.delete(scope, backup.backupId)).backupId, backup.backupId, 'no longer pinned by the restore');
    await svc.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
