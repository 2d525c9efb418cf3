// End to end over a real engine volume: backup, 1% change, incremental backup, copies to another region,
// lazy restore compared byte for byte, deletion that frees only unique data, and the reference's rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openVolume, ROOT_CALLER, ROOT_INODE, type InodeNumber, type Volume } from '../engine/index.ts';
import { isBackupError } from './backup-errors.ts';
import { BackupService } from './backup-service.ts';
import { hydrationStatus, restoreFileSystem } from './restore.ts';
import { describeTree, fillVolume, rewriteFiles } from './testing/volume-tree.ts';
import { verifyVault } from './vault/verify.ts';

const FILES = 100;
const FILE_BYTES = 512 * 1024;
const DATA = FILES * FILE_BYTES;
const FS_ID = 'fs-0000000000000000a';

describe('backup service over a real volume', () => {
  let root: string;
  let volume: Volume;
  let svc: BackupService;
  let inodes: InodeNumber[];

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-backup-'));
    volume = await openVolume({ dir: path.join(root, 'volumes', FS_ID), id: FS_ID, create: true });
    inodes = await fillVolume(volume, FILES, FILE_BYTES);
    await volume.symlink(ROOT_CALLER, ROOT_INODE, 'link', 'd0/f1');
    const small = (await volume.create(ROOT_CALLER, ROOT_INODE, 'small', { mode: 0o600 })).attr;
    await volume.write(ROOT_CALLER, small.ino, 0, Buffer.from('inline data'), 'file_sync');
    svc = await BackupService.open({
      dataDir: root, graceMs: 0, vaultOptions: { packBytes: 1024 * 1024 },
      vaults: new Map([['local-1', path.join(root, 'vaults', 'local-1')], ['local-2', path.join(root, 'vaults', 'local-2')]]),
    });
  });
  after(async () => {
    await svc.close();
    await volume.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const vaultSize = async (region: string): Promise<number> => (await svc.vaults.get(region)).sizeBytes();
  const backup = async (type: 'USER_INITIATED' | 'AUTOMATIC' | 'AWS_BACKUP' = 'USER_INITIATED') => {
    const r = svc.createBackup({ region: 'local-1', fileSystemId: FS_ID, volume, type, fileSystem: { FileSystemId: FS_ID }, tags: [{ Key: 'Name', Value: 'nightly' }] });
    assert.equal(r.lifecycle, 'CREATING');
    return svc.waitFor('local-1', r.backupId);
  };

  let first: string;
  let second: string;
  let copy2: string;

  it('a full backup, then an incremental one after changing 1% of the data', async () => {
    const started = svc.createBackup({ region: 'local-1', fileSystemId: FS_ID, volume, fileSystem: { FileSystemId: FS_ID }, tags: [{ Key: 'Name', Value: 'nightly' }] });
    const seen = new Set<string>();
    for (let r = svc.getBackup('local-1', started.backupId); r.lifecycle !== 'AVAILABLE' && r.lifecycle !== 'FAILED'; r = svc.getBackup('local-1', started.backupId)) {
      seen.add(`${r.lifecycle} ${r.progressPercent}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok([...seen].some((s) => /^TRANSFERRING [1-9]\d?$/.test(s)), `ProgressPercent moves while TRANSFERRING: ${[...seen].join(', ')}`);
    const b1 = await svc.waitFor('local-1', started.backupId);
    assert.equal(b1.lifecycle, 'AVAILABLE', b1.failureMessage);
    assert.equal(b1.progressPercent, 100);
    assert.equal(b1.sizeBytes, DATA);
    first = b1.backupId;
    const size1 = await vaultSize('local-1');
    assert.ok(size1 >= DATA && size1 < DATA * 1.1, `first backup stores all data once: ${size1}`);

    await rewriteFiles(volume, inodes, 1, FILE_BYTES, 10_000);
    const b2 = await backup();
    assert.equal(b2.lifecycle, 'AVAILABLE');
    second = b2.backupId;
    const m2 = await (await svc.vaults.get('local-1')).getManifest(second);
    const growth = (await vaultSize('local-1')) - size1;
    assert.ok(growth >= FILE_BYTES && growth <= FILE_BYTES + m2.metadata.size + 64 * 1024,
      `second backup adds the changed 1% (+ changed metadata): ${growth} bytes of ${DATA}`);
  });

  it('copies to another region: the first copy is full, the second incremental', async () => {
    const c1 = svc.copyBackup({ region: 'local-2', sourceRegion: 'local-1', sourceBackupId: first, copyTags: true, tags: [{ Key: 'k', Value: 'v' }] });
    assert.equal(c1.lifecycle, 'COPYING');
    assert.deepEqual(c1.tags, [{ Key: 'Name', Value: 'nightly' }, { Key: 'k', Value: 'v' }]);
    const done1 = await svc.waitFor('local-2', c1.backupId);
    assert.equal(done1.lifecycle, 'AVAILABLE');
    assert.equal(done1.sourceBackupId, first);
    assert.equal(done1.sourceRegion, 'local-1');
    assert.ok((done1.bytesWritten ?? 0) >= DATA, 'first copy is full');
    const c2 = await svc.waitFor('local-2', svc.copyBackup({ region: 'local-2', sourceRegion: 'local-1', sourceBackupId: second }).backupId);
    assert.equal(c2.lifecycle, 'AVAILABLE');
    assert.ok((c2.bytesWritten ?? 0) < DATA * 0.05, `second copy is incremental: ${c2.bytesWritten}`);
    copy2 = c2.backupId;
    assert.deepEqual((await verifyVault(await svc.vaults.get('local-2'))).problems, []);
  });

  it('restores a copy lazily: readable before hydration, identical to the source after', async () => {
    const progress: number[] = [];
    const restored = await restoreFileSystem(svc, {
      region: 'local-2', backupId: copy2, fileSystemId: 'fs-0000000000000000b', dir: path.join(root, 'volumes', 'fs-0000000000000000b'),
      onHydration: (s) => progress.push(s.bytesLocal / Math.max(1, s.bytesTotal)),
    });
    try {
      const f = await restored.volume.lookup(ROOT_CALLER, ROOT_INODE, 'small');
      assert.equal((await restored.volume.read(ROOT_CALLER, f.ino, 0, 100)).data.toString(), 'inline data');
      await assert.rejects(svc.deleteBackup('local-2', copy2), (e: unknown) => isBackupError(e, 'BackupRestoring'));
      await restored.hydrated;
      assert.ok(progress[0] < 0.5 && progress[progress.length - 1] === 1, `hydration moves to 100%: ${progress[0]} → ${progress[progress.length - 1]}`);
      assert.equal(hydrationStatus(svc, 'fs-0000000000000000b')?.percent, 100);
      const h = await restored.volume.hydration();
      assert.equal(h.bytesLocal, h.bytesTotal);
      assert.deepEqual(await describeTree(restored.volume), await describeTree(volume));
    } finally {
      await restored.volume.close();
    }
  });

  it('deleting the first backup frees only the data no other backup holds', async () => {
    const vault = await svc.vaults.get('local-1');
    const m1 = await vault.getManifest(first);
    const before = await vaultSize('local-1');
    const deleted = await svc.deleteBackup('local-1', first);
    assert.equal(deleted.lifecycle, 'DELETED');
    const shrink = before - (await vaultSize('local-1'));
    assert.ok(shrink >= FILE_BYTES && shrink <= FILE_BYTES + m1.metadata.size + 64 * 1024, `shrank by the unique data: ${shrink}`);
    await assert.rejects(async () => svc.getBackup('local-1', first), (e: unknown) => isBackupError(e, 'BackupNotFound'));
    assert.deepEqual((await verifyVault(vault)).problems, []);
    const restored = await restoreFileSystem(svc, {
      region: 'local-1', backupId: second, fileSystemId: 'fs-0000000000000000c', dir: path.join(root, 'volumes', 'fs-0000000000000000c'),
    });
    await restored.hydrated;
    assert.deepEqual(await describeTree(restored.volume), await describeTree(volume));
    await restored.volume.close();
  });

  it('enforces the reference rules with FSx error codes', async () => {
    const creating = svc.createBackup({ region: 'local-1', fileSystemId: FS_ID, volume, fileSystem: {} });
    assert.throws(() => svc.copyBackup({ region: 'local-2', sourceRegion: 'local-1', sourceBackupId: creating.backupId }),
      (e: unknown) => isBackupError(e, 'SourceBackupUnavailable'));
    await svc.waitFor('local-1', creating.backupId);

    const copying = svc.copyBackup({ region: 'local-2', sourceRegion: 'local-1', sourceBackupId: second });
    await assert.rejects(svc.deleteBackup('local-1', second), (e: unknown) => isBackupError(e, 'BackupBeingCopied'));
    const more = [1, 2, 3, 4].map(() => svc.copyBackup({ region: 'local-2', sourceRegion: 'local-1', sourceBackupId: second }));
    assert.throws(() => svc.copyBackup({ region: 'local-2', sourceRegion: 'local-1', sourceBackupId: second }),
      (e: unknown) => isBackupError(e, 'ServiceLimitExceeded'));
    for (const c of [copying, ...more]) assert.equal((await svc.waitFor('local-2', c.backupId)).lifecycle, 'AVAILABLE');

    assert.throws(() => svc.getBackup('local-1', 'backup-0123456789abcdef0'), (e: unknown) => isBackupError(e, 'BackupNotFound'));
    assert.throws(() => svc.describeBackups({ region: 'local-1', backupIds: ['backup-0123456789abcdef0'] }), (e: unknown) => isBackupError(e, 'BackupNotFound'));
    assert.throws(() => svc.createBackup({ region: 'local-1', fileSystemId: FS_ID, volume, fileSystem: {}, tags: [{ Key: 'Name', Value: 'a'.repeat(257) }] }),
      (e: unknown) => isBackupError(e, 'BadRequest'));

    await assert.rejects(restoreFileSystem(svc, { region: 'local-1', backupId: second, fileSystemId: 'fs-0000000000000000d', dir: path.join(root, 'volumes', FS_ID) }));
    assert.deepEqual(svc.records.restoringFrom('local-1', second), [], 'a failed restore does not pin its backup');

    const aws = await backup('AWS_BACKUP');
    await assert.rejects(svc.deleteBackup('local-1', aws.backupId), (e: unknown) => isBackupError(e, 'BadRequest'));
    assert.equal((await svc.deleteBackup('local-1', aws.backupId, { asBackupService: true })).lifecycle, 'DELETED');

    const auto = await backup('AUTOMATIC');
    assert.deepEqual(svc.describeBackups({ region: 'local-1', types: ['AUTOMATIC'] }).map((b) => b.backupId), [auto.backupId]);
    assert.deepEqual(await svc.deleteFileSystemBackups('local-1', FS_ID), [auto.backupId]);
    const left = svc.describeBackups({ region: 'local-1', fileSystemIds: [FS_ID] });
    assert.ok(left.length >= 2 && left.every((b) => b.type === 'USER_INITIATED'), 'user-initiated backups outlive the file system');
    assert.deepEqual((await volume.listSnapshots()).filter((s) => s.name.startsWith('backup:')), [], 'no snapshot is left behind');
  });
});
