// FSx backup operations through the SDK v3: DescribeBackups pagination and filters, ClientRequestToken
// idempotency, same-region CopyBackup, the five-copies limit, AWS_BACKUP backups from the scheduler (EFS
// BackupPolicy ENABLED) refused by DeleteBackup, and CreateFileSystemFromBackup's capacity rule.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fsx from '@aws-sdk/client-fsx';
import { DEFAULT_START_TIME, lastWindowStart } from '../../backup/scheduler.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let s: TestServer;
let c: fsx.FSxClient;
let fsId: string;
before(async () => {
  s = await startTestServer({ backup: { graceMs: 0 } });
  c = new fsx.FSxClient({ endpoint: s.url, region: 'local-1', credentials: s.credentials, maxAttempts: 1 });
  const created = await c.send(new fsx.CreateFileSystemCommand({ FileSystemType: 'WINDOWS', StorageCapacity: 32, SubnetIds: ['subnet-local-1a'],
    WindowsConfiguration: { ThroughputCapacity: 8, AutomaticBackupRetentionDays: 0 } }));
  fsId = created.FileSystem?.FileSystemId as string;
  await s.service.idle();
});
after(async () => {
  c.destroy();
  await s.close();
});

const errorName = (p: Promise<unknown>): Promise<string> => p.then(() => 'no error', (e: Error) => e.name);
const settle = (id: string, region = 'local-1') => s.service.backups.backups.waitFor(region, id);

test('CreateBackup is idempotent per ClientRequestToken; DescribeBackups pages and filters', async () => {
  const first = (await c.send(new fsx.CreateBackupCommand({ FileSystemId: fsId, ClientRequestToken: 'tok-1', Tags: [{ Key: 'Name', Value: 'one' }] }))).Backup;
  assert.match(first?.BackupId ?? '', /^backup-[0-9a-f]{17}$/);
  assert.equal(first?.Type, 'USER_INITIATED');
  assert.equal(first?.FileSystem?.FileSystemId, fsId);
  assert.ok(first?.CreationTime instanceof Date);
  const again = (await c.send(new fsx.CreateBackupCommand({ FileSystemId: fsId, ClientRequestToken: 'tok-1', Tags: [{ Key: 'Name', Value: 'one' }] }))).Backup;
  assert.equal(again?.BackupId, first?.BackupId);
  assert.equal(await errorName(c.send(new fsx.CreateBackupCommand({ FileSystemId: fsId, ClientRequestToken: 'tok-1' }))), 'IncompatibleParameterError');
  const ids = [first?.BackupId as string];
  await settle(ids[0]);
  // One user-initiated backup of a file system at a time (checked in the same turn, while the first is surely running).
  const inProgress = s.service.backups.create({ region: 'local-1' }, { fileSystemId: fsId });
  assert.throws(() => s.service.backups.create({ region: 'local-1' }, { fileSystemId: fsId }), { code: 'BackupInProgress' });
  ids.push(inProgress.backupId);
  await settle(inProgress.backupId);
  ids.push((await c.send(new fsx.CreateBackupCommand({ FileSystemId: fsId }))).Backup?.BackupId as string);
  for (const id of ids) assert.equal((await settle(id)).lifecycle, 'AVAILABLE', (await settle(id)).failureMessage);

  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await c.send(new fsx.DescribeBackupsCommand({ MaxResults: 2, NextToken: token, Filters: [{ Name: 'file-system-id', Values: [fsId] }] }));
    assert.ok((page.Backups ?? []).length <= 2);
    seen.push(...(page.Backups ?? []).map((b) => b.BackupId as string));
    token = page.NextToken;
  } while (token);
  assert.deepEqual([...seen].sort(), [...ids].sort());

  const described = await c.send(new fsx.DescribeBackupsCommand({ BackupIds: [ids[0]] }));
  assert.equal(described.Backups?.[0].Lifecycle, 'AVAILABLE');
  assert.equal(described.Backups?.[0].ProgressPercent, 100);
  assert.deepEqual(described.Backups?.[0].Tags, [{ Key: 'Name', Value: 'one' }]);
  const automatic = await c.send(new fsx.DescribeBackupsCommand({ Filters: [{ Name: 'backup-type', Values: ['AUTOMATIC'] }] }));
  assert.deepEqual(automatic.Backups, []);
  const other = await c.send(new fsx.DescribeBackupsCommand({ Filters: [{ Name: 'file-system-id', Values: ['fs-0123456789abcdef0'] }] }));
  assert.deepEqual(other.Backups, []);
  assert.equal(await errorName(c.send(new fsx.DescribeBackupsCommand({ Filters: [{ Name: 'volume-id', Values: ['fsvol-0123456789abcdef0'] }] }))), 'BadRequest');
  assert.equal(await errorName(c.send(new fsx.DescribeBackupsCommand({ BackupIds: ['backup-0123456789abcdef0'] }))), 'BackupNotFound');
  // Another region's backups are not visible here.
  const c2 = new fsx.FSxClient({ endpoint: s.url, region: 'local-2', credentials: s.credentials, maxAttempts: 1 });
  assert.equal(await errorName(c2.send(new fsx.DescribeBackupsCommand({ BackupIds: [ids[0]] }))), 'BackupNotFound');
  c2.destroy();
});

test('CopyBackup defaults to the same region and allows at most five copies in progress to one region', async () => {
  const source = (await c.send(new fsx.CreateBackupCommand({ FileSystemId: fsId, Tags: [{ Key: 'team', Value: 'a' }] }))).Backup?.BackupId as string;
  await settle(source);
  const copy = (await c.send(new fsx.CopyBackupCommand({ SourceBackupId: source, CopyTags: true, Tags: [{ Key: 'copy', Value: 'yes' }] }))).Backup;
  assert.equal(copy?.Lifecycle, 'COPYING');
  assert.equal(copy?.SourceBackupId, source);
  assert.equal(copy?.SourceBackupRegion, 'local-1');
  assert.deepEqual(copy?.Tags, [{ Key: 'team', Value: 'a' }, { Key: 'copy', Value: 'yes' }]);
  assert.equal((await settle(copy?.BackupId as string)).lifecycle, 'AVAILABLE');
  // Copies are started synchronously, so five in one turn are all still COPYING when the sixth is asked for.
  const started = Array.from({ length: 5 }, () => s.service.backups.copy({ region: 'local-2' }, { sourceBackupId: source, sourceRegion: 'local-1' }));
  assert.throws(() => s.service.backups.copy({ region: 'local-2' }, { sourceBackupId: source, sourceRegion: 'local-1' }), { code: 'ServiceLimitExceeded' });
  for (const r of started) assert.equal((await settle(r.backupId, 'local-2')).lifecycle, 'AVAILABLE');
  assert.equal(await errorName(c.send(new fsx.CopyBackupCommand({ SourceBackupId: 'backup-0123456789abcdef0' }))), 'BackupNotFound');
  assert.equal(await errorName(c.send(new fsx.CopyBackupCommand({ SourceBackupId: source, SourceRegion: 'eu-west-9' }))), 'InvalidRegion');
});

test('the scheduler takes AWS_BACKUP backups of EFS file systems with backups enabled; DeleteBackup refuses them', async () => {
  const efs = s.service.fileSystems.createEfs({ region: 'local-1' }, { creationToken: 'sched', backup: true });
  await s.service.idle();
  // Ten minutes into the latest window that has begun: the backups the ticks start are stamped with the real clock,
  // which must not lie before the window the scheduler's clock is in (before 05:00 UTC, today's window had not).
  const inWindow = new Date(lastWindowStart(new Date(), DEFAULT_START_TIME).getTime() + 10 * 60_000);
  const tick = await s.service.backupScheduler(() => inWindow).tick();
  assert.deepEqual(tick.errors, []);
  const taken = tick.started.find((b) => b.fileSystemId === efs.id);
  assert.equal(taken?.type, 'AWS_BACKUP');
  assert.ok(!tick.started.some((b) => b.fileSystemId === fsId), 'retention 0 turns automatic backups off');
  await settle(taken.backupId);
  assert.equal(await errorName(c.send(new fsx.DeleteBackupCommand({ BackupId: taken.backupId }))), 'BadRequest');
  assert.equal(await errorName(c.send(new fsx.CreateFileSystemFromBackupCommand({ BackupId: taken.backupId, SubnetIds: ['subnet-local-1a'] }))), 'BadRequest');
  // A second tick in the same window takes no second backup.
  assert.equal((await s.service.backupScheduler(() => inWindow).tick()).started.length, 0);
});

test('CreateFileSystemFromBackup keeps the backup\'s deployment type and refuses a smaller capacity', async () => {
  const b = (await c.send(new fsx.CreateBackupCommand({ FileSystemId: fsId }))).Backup?.BackupId as string;
  await settle(b);
  assert.equal(await errorName(c.send(new fsx.CreateFileSystemFromBackupCommand({ BackupId: b, SubnetIds: ['subnet-local-1a'], StorageCapacity: 16 }))), 'BadRequest');
  const restored = (await c.send(new fsx.CreateFileSystemFromBackupCommand({ BackupId: b, SubnetIds: ['subnet-local-1a'], StorageCapacity: 64,
    Tags: [{ Key: 'Name', Value: 'restored' }] }))).FileSystem;
  assert.equal(restored?.FileSystemType, 'WINDOWS');
  assert.equal(restored?.StorageCapacity, 64);
  assert.equal(restored?.WindowsConfiguration?.DeploymentType, 'SINGLE_AZ_1');
  await s.service.idle();
  const d = await c.send(new fsx.DescribeFileSystemsCommand({ FileSystemIds: [restored?.FileSystemId as string] }));
  assert.equal(d.FileSystems?.[0].Lifecycle, 'AVAILABLE');
  // While a restored file system still reads from it, the backup cannot be deleted.
  const del = await c.send(new fsx.DeleteFileSystemCommand({ FileSystemId: restored?.FileSystemId, WindowsConfiguration: { SkipFinalBackup: true } }));
  assert.equal(del.WindowsResponse?.FinalBackupId, undefined);
  await s.service.idle();
  assert.equal((await c.send(new fsx.DeleteBackupCommand({ BackupId: b }))).Lifecycle, 'DELETED');
  assert.equal(await errorName(c.send(new fsx.DescribeBackupsCommand({ BackupIds: [b] }))), 'BackupNotFound');
});

