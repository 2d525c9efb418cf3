// End to end with the real aws CLI (v2) and libnfs: an FSx file system written over NFSv3, backed up,
// changed by ~1%, backed up again (the vault grows by about the change), copied to local-2 twice (the second
// copy is incremental), restored in both regions and read back byte for byte over NFS, the first backup
// deleted (the vault shrinks by at most its unique data), the reference's rule errors as the CLI prints them,
// and DeleteFileSystem's final backup (its automatic backups go, user-initiated ones stay).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as fsx from '@aws-sdk/client-fsx';
import { DEFAULT_START_TIME, lastWindowStart } from '../../backup/scheduler.ts';
import { verifyVault } from '../../backup/vault/verify.ts';
import { ROOT_CALLER, ROOT_INODE } from '../../engine/index.ts';
import { startNfsServer, type NfsServer } from '../../nfs/server.ts';
import { ServiceExportTable } from '../../service/export-table.ts';
import { aws, AWS_CLIS } from '../testing/aws-cli.ts';
import { signedFetch } from '../testing/signed-fetch.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-backup-e2e-'));
const MiB = 1024 * 1024;
let s: TestServer;
let nfs: NfsServer;
let sdk1: fsx.FSxClient;
let sdk2: fsx.FSxClient;

before(async () => {
  s = await startTestServer({ backup: { graceMs: 0 } });
  nfs = await startNfsServer({ host: '127.0.0.1', port: 0, exports: new ServiceExportTable(s.service, s.config), stateDir: path.join(tmp, 'nfs-state') });
  sdk1 = new fsx.FSxClient({ endpoint: s.url, region: 'local-1', credentials: s.credentials, maxAttempts: 1 });
  sdk2 = new fsx.FSxClient({ endpoint: s.url, region: 'local-2', credentials: s.credentials, maxAttempts: 1 });
});
after(async () => {
  sdk1.destroy();
  sdk2.destroy();
  await nfs.close();
  await s.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const url = (p: string): string => `nfs://127.0.0.1${p}?nfsport=${nfs.port}&mountport=${nfs.port}&version=3`;
const cli = (region: string, ...args: string[]) => aws(AWS_CLIS[0].bin, s, ['fsx', ...args], region);
const settle = (region: string, id: string) => s.service.backups.backups.waitFor(region, id);
const errorOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'no error', (e: Error) => e.name);

/** Bytes of packs, indexes and manifests in a region's vault. */
function vaultBytes(region: string): number {
  const root = path.join(s.dataDir, 'vaults', region);
  let total = 0;
  for (const sub of ['packs', 'index', 'manifests']) {
    const dir = path.join(root, sub);
    if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir)) total += fs.statSync(path.join(dir, f)).size;
  }
  return total;
}

async function writeFile(fsId: string, name: string, data: Buffer): Promise<void> {
  const local = path.join(tmp, `out-${name}`);
  fs.writeFileSync(local, data);
  await run('nfs-cp', [local, url(`/${fsId}/${name}`)]);
}

async function readFile(fsId: string, name: string): Promise<Buffer> {
  const local = path.join(tmp, `in-${fsId}-${name}`);
  fs.rmSync(local, { force: true });
  await run('nfs-cp', [url(`/${fsId}/${name}`), local]);
  return fs.readFileSync(local);
}

async function backupAndWait(region: string, fsId: string, name: string): Promise<string> {
  const r = await cli(region, 'create-backup', '--file-system-id', fsId, '--tags', `Key=Name,Value=${name}`);
  assert.equal(r.code, 0, r.stderr);
  const b = r.json<{ Backup: { BackupId: string; Lifecycle: string; ProgressPercent: number } }>().Backup;
  assert.ok(['CREATING', 'TRANSFERRING', 'AVAILABLE'].includes(b.Lifecycle));
  await settle(region, b.BackupId);
  const d = await cli(region, 'describe-backups', '--backup-ids', b.BackupId);
  const shown = d.json<{ Backups: Array<{ Lifecycle: string; ProgressPercent: number; Type: string; FileSystem: { FileSystemId: string } }> }>().Backups[0];
  assert.deepEqual([shown.Lifecycle, shown.ProgressPercent, shown.Type, shown.FileSystem.FileSystemId], ['AVAILABLE', 100, 'USER_INITIATED', fsId]);
  return b.BackupId;
}

async function copyAndWait(sourceId: string): Promise<string> {
  const r = await cli('local-2', 'copy-backup', '--source-region', 'local-1', '--source-backup-id', sourceId);
  assert.equal(r.code, 0, r.stderr);
  const b = r.json<{ Backup: { BackupId: string; Lifecycle: string; SourceBackupId: string; SourceBackupRegion: string } }>().Backup;
  assert.deepEqual([b.SourceBackupId, b.SourceBackupRegion], [sourceId, 'local-1']);
  assert.equal((await settle('local-2', b.BackupId)).lifecycle, 'AVAILABLE');
  return b.BackupId;
}

async function restore(region: string, backupId: string, subnet: string): Promise<string> {
  const r = await cli(region, 'create-file-system-from-backup', '--backup-id', backupId, '--subnet-ids', subnet);
  assert.equal(r.code, 0, r.stderr);
  const created = r.json<{ FileSystem: { FileSystemId: string; StorageCapacity: number; WindowsConfiguration: { DeploymentType: string } } }>().FileSystem;
  assert.deepEqual([created.StorageCapacity, created.WindowsConfiguration.DeploymentType], [32, 'SINGLE_AZ_1']);
  await s.service.idle();
  const d = await cli(region, 'describe-file-systems', '--file-system-ids', created.FileSystemId);
  assert.equal(d.json<{ FileSystems: Array<{ Lifecycle: string }> }>().FileSystems[0].Lifecycle, 'AVAILABLE');
  return created.FileSystemId;
}

test('backup life cycle with the aws CLI and NFS', async () => {
  const created = await cli('local-1', 'create-file-system', '--file-system-type', 'WINDOWS', '--storage-capacity', '32',
    '--subnet-ids', 'subnet-local-1a', '--windows-configuration', 'ThroughputCapacity=8,AutomaticBackupRetentionDays=7,DailyAutomaticBackupStartTime=05:00');
  assert.equal(created.code, 0, created.stderr);
  const fsId = created.json<{ FileSystem: { FileSystemId: string } }>().FileSystem.FileSystemId;
  await s.service.idle();
  const volume = s.service.ctx.volumes.get(fsId);
  assert.ok(volume);
  await volume.setattr(ROOT_CALLER, ROOT_INODE, { mode: 0o777 });

  // 16 MiB in 16 files plus one of 160 KiB (the ~1% that changes later).
  const files = new Map<string, Buffer>();
  for (let i = 0; i < 16; i++) files.set(`big-${i}.bin`, randomBytes(MiB));
  files.set('small.bin', randomBytes(160 * 1024));
  for (const [name, data] of files) await writeFile(fsId, name, data);

  const b1 = await backupAndWait('local-1', fsId, 'first');
  const afterFirst = vaultBytes('local-1');
  assert.ok(afterFirst >= 16 * MiB, `vault holds the data (${afterFirst})`);

  // nfs-cp creates exclusively: the old file goes first (as an editor's save-and-rename would replace it).
  files.set('small.bin', randomBytes(160 * 1024));
  await volume.unlink(ROOT_CALLER, ROOT_INODE, 'small.bin');
  await writeFile(fsId, 'small.bin', files.get('small.bin') as Buffer);
  const b2 = await backupAndWait('local-1', fsId, 'second');
  const growth = vaultBytes('local-1') - afterFirst;
  console.log(`vault local-1: ${afterFirst} bytes after the first backup, +${growth} after a 160 KiB change`);
  assert.ok(growth >= 160 * 1024, `the changed data is stored (${growth})`);
  assert.ok(growth < 2 * MiB, `the second backup is incremental (${growth} bytes)`);

  // Copies into local-2: the first is full, the second only adds what changed.
  const c1 = await copyAndWait(b1);
  const copiedFull = vaultBytes('local-2');
  const c2 = await copyAndWait(b2);
  const copiedMore = vaultBytes('local-2') - copiedFull;
  console.log(`vault local-2: ${copiedFull} bytes after the first copy, +${copiedMore} after the second`);
  assert.ok(copiedFull >= 16 * MiB);
  assert.ok(copiedMore < 2 * MiB, `the second copy is incremental (${copiedMore} bytes)`);
  assert.ok(c1 !== c2);

  // Restores in both regions, read back over NFS byte for byte.
  const restored2 = await restore('local-2', c2, 'subnet-local-2a');
  const restored1 = await restore('local-1', b2, 'subnet-local-1a');
  for (const id of [restored1, restored2]) {
    for (const [name, data] of files) assert.ok((await readFile(id, name)).equals(data), `${id}/${name} is the backed-up content`);
  }
  // The extension field shows how far the lazy restore has hydrated.
  const raw = await signedFetch(s, { method: 'POST', path: '/', service: 'fsx', region: 'local-2', body: JSON.stringify({ FileSystemIds: [restored2] }),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSSimbaAPIService_v20180301.DescribeFileSystems' } });
  const hydration = ((await raw.json()) as { FileSystems: Array<{ FathomHydration?: { Percent: number } }> }).FileSystems[0].FathomHydration;
  assert.ok(hydration && hydration.Percent >= 0 && hydration.Percent <= 100, JSON.stringify(hydration));

  // Deleting the first backup frees at most its unique data (the old small.bin and metadata), never b2's.
  const beforeDelete = vaultBytes('local-1');
  const del = await cli('local-1', 'delete-backup', '--backup-id', b1);
  assert.equal(del.code, 0, del.stderr);
  assert.equal(del.json<{ Lifecycle: string }>().Lifecycle, 'DELETED');
  const freed = beforeDelete - vaultBytes('local-1');
  console.log(`vault local-1: ${freed} bytes freed by deleting the first backup`);
  assert.ok(freed >= 0 && freed <= growth + 160 * 1024, `freed ${freed}`);
  assert.equal((await verifyVault(await s.service.backups.backups.vaults.get('local-1'))).problems.length, 0);
  const restored3 = await restore('local-1', b2, 'subnet-local-1a');
  assert.ok((await readFile(restored3, 'big-3.bin')).equals(files.get('big-3.bin') as Buffer));

  // The rules, as the CLI prints them.
  const missing = await cli('local-1', 'describe-backups', '--backup-ids', b1);
  assert.match(missing.stderr, /BackupNotFound/);
  const badName = await cli('local-1', 'create-backup', '--file-system-id', fsId, '--tags', `Key=Name,Value=${'n'.repeat(257)}`);
  assert.match(badName.stderr, /\(BadRequest\).*256/);
  const badChars = await cli('local-1', 'create-backup', '--file-system-id', fsId, '--tags', 'Key=Name,Value=semi;colon');
  assert.match(badChars.stderr, /BadRequest/);
  const noSource = await cli('local-2', 'copy-backup', '--source-region', 'local-1', '--source-backup-id', b1);
  assert.match(noSource.stderr, /BackupNotFound/);
  // Rules that depend on a job still running, checked in the same turn as the job starts (deterministic);
  // the wire shapes of these errors are the same as above.
  const scope = { region: 'local-1' };
  const racing = s.service.backups.create(scope, { fileSystemId: fsId });
  assert.throws(() => s.service.backups.copy({ region: 'local-2' }, { sourceBackupId: racing.backupId, sourceRegion: 'local-1' }), { code: 'SourceBackupUnavailable' });
  await assert.rejects(s.service.backups.delete(scope, racing.backupId), { code: 'BackupInProgress' });
  await settle('local-1', racing.backupId);
  const copying = s.service.backups.copy({ region: 'local-2' }, { sourceBackupId: racing.backupId, sourceRegion: 'local-1' });
  await assert.rejects(s.service.backups.delete(scope, racing.backupId), { code: 'BackupBeingCopied' });
  assert.equal((await settle('local-2', copying.backupId)).lifecycle, 'AVAILABLE');
  assert.equal(await errorOf(sdk1.send(new fsx.DeleteBackupCommand({ BackupId: racing.backupId }))), 'no error');

  // An automatic backup (scheduler, fake clock inside the window), then DeleteFileSystem with a final backup.
  // Ten minutes into the latest window that has begun (backups are stamped by the real clock, never before it).
  const inWindow = new Date(lastWindowStart(new Date(), DEFAULT_START_TIME).getTime() + 10 * 60_000);
  const efsWithBackups = s.service.fileSystems.createEfs(scope, { creationToken: 'aws-backup', backup: true });
  await s.service.idle();
  const tick = await s.service.backupScheduler(() => inWindow).tick();
  const automatic = tick.started.find((b) => b.fileSystemId === fsId);
  const awsBackup = tick.started.find((b) => b.fileSystemId === efsWithBackups.id);
  assert.ok(automatic && awsBackup);
  assert.deepEqual([automatic.type, awsBackup.type], ['AUTOMATIC', 'AWS_BACKUP']);
  await settle('local-1', automatic.backupId);
  await settle('local-1', awsBackup.backupId);
  const refused = await cli('local-1', 'delete-backup', '--backup-id', awsBackup.backupId);
  assert.match(refused.stderr, /\(BadRequest\).*AWS_BACKUP/);
  const gone = await cli('local-1', 'delete-file-system', '--file-system-id', fsId, '--windows-configuration', 'FinalBackupTags=[{Key=Name,Value=final}]');
  assert.equal(gone.code, 0, gone.stderr);
  const finalId = gone.json<{ WindowsResponse: { FinalBackupId: string } }>().WindowsResponse.FinalBackupId;
  assert.match(finalId, /^backup-/);
  await s.service.idle();
  const left = await cli('local-1', 'describe-backups', '--filters', `Name=file-system-id,Values=${fsId}`);
  const kept = left.json<{ Backups: Array<{ BackupId: string; Type: string; Tags: Array<{ Key: string; Value: string }> }> }>().Backups;
  assert.ok(!kept.some((b) => b.BackupId === automatic.backupId), 'automatic backups go with their file system');
  assert.ok(kept.some((b) => b.BackupId === b2), 'user-initiated backups outlive it');
  const final = kept.find((b) => b.BackupId === finalId);
  assert.deepEqual([final?.Type, final?.Tags], ['USER_INITIATED', [{ Key: 'Name', Value: 'final' }]]);
});
