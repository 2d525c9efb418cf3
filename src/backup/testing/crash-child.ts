// Child process of crash.test.ts, killed with SIGKILL by the parent at some point. Modes:
//   loop <root> <fsId> <files> <fileBytes>: backs up, copies and deletes in a loop, a line after each step;
//   restore <root> <region> <backupId> <fsId> <dir>: restores, prints "available", then a line per hydrated block.
import path from 'node:path';
import { openVolume, ROOT_CALLER, ROOT_INODE, type InodeNumber } from '../../engine/index.ts';
import { BackupService } from '../backup-service.ts';
import { restoreFileSystem } from '../restore.ts';
import { rewriteFiles } from './volume-tree.ts';

const step = (s: string): void => void process.stdout.write(`${s}\n`);

function openService(root: string): Promise<BackupService> {
  return BackupService.open({
    dataDir: root, graceMs: 0, vaultOptions: { packBytes: 1024 * 1024 },
    vaults: new Map([['local-1', path.join(root, 'vaults', 'local-1')], ['local-2', path.join(root, 'vaults', 'local-2')]]),
  });
}

async function loop(root: string, fsId: string, files: number, fileBytes: number): Promise<void> {
  const volume = await openVolume({ dir: path.join(root, 'volumes', fsId), id: fsId });
  const svc = await openService(root);
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
      const done = svc.describeBackups({ region }).filter((r) => r.lifecycle === 'AVAILABLE' || r.lifecycle === 'FAILED');
      if (done.length > 2) {
        await svc.deleteBackup(region, done[0].backupId);
        step(`deleted ${region}`);
      }
    }
  }
}

async function restore(root: string, region: string, backupId: string, fsId: string, dir: string): Promise<void> {
  const svc = await openService(root);
  const r = await restoreFileSystem(svc, { region, backupId, fileSystemId: fsId, dir, onHydration: (s) => step(`hydrated ${s.blocksLocal}/${s.blocksTotal}`) });
  step('available');
  await r.hydrated;
  step('done');
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'loop') await loop(args[0], args[1], Number(args[2]), Number(args[3]));
else await restore(args[0], args[1], args[2], args[3], args[4]);
