// Child process of crash.test.ts: backs up, copies and deletes in a loop over one data directory, printing
// a line after each step, until the parent kills it with SIGKILL.
import path from 'node:path';
import { openVolume, ROOT_CALLER, ROOT_INODE, type InodeNumber } from '../../engine/index.ts';
import { BackupService } from '../backup-service.ts';
import { rewriteFiles } from './volume-tree.ts';

const [root, fsId, files, fileBytes] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const volume = await openVolume({ dir: path.join(root, 'volumes', fsId), id: fsId });
const svc = await BackupService.open({
  dataDir: root, graceMs: 0, vaultOptions: { packBytes: 1024 * 1024 },
  vaults: new Map([['local-1', path.join(root, 'vaults', 'local-1')], ['local-2', path.join(root, 'vaults', 'local-2')]]),
});
const step = (s: string): void => void process.stdout.write(`${s}\n`);
const inodes: InodeNumber[] = [];
for (let i = 0; i < files; i++) inodes.push((await volume.lookup(ROOT_CALLER, ROOT_INODE, `f${i}`)).ino);
for (let round = 0; ; round++) {
  await rewriteFiles(volume, inodes.slice(round % files), 2, fileBytes, 1000 + round * 7 + process.pid);
  step('modified');
  const b = await svc.waitFor('local-1', svc.createBackup({ region: 'local-1', fileSystemId: fsId, volume, fileSystem: {} }).backupId);
  step(`backup ${b.lifecycle}`);
  const c = await svc.waitFor('local-2', svc.copyBackup({ region: 'local-2', sourceRegion: 'local-1', sourceBackupId: b.backupId }).backupId);
  step(`copy ${c.lifecycle}`);
  for (const region of ['local-1', 'local-2']) {
    const avail = svc.describeBackups({ region }).filter((r) => r.lifecycle === 'AVAILABLE' || r.lifecycle === 'FAILED');
    if (avail.length > 2) {
      await svc.deleteBackup(region, avail[0].backupId);
      step(`deleted ${region}`);
    }
  }
}
