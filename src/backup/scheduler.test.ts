import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Volume } from '../engine/index.ts';
import type { BackupRecord } from './backup-record.ts';
import type { CreateBackupInput } from './backup-service.ts';
import { BackupScheduler, lastWindowStart, type ScheduledFileSystem, type SchedulerBackups } from './scheduler.ts';

/** An in-memory stand-in for the backup service: records what the scheduler asks for. */
class FakeBackups implements SchedulerBackups {
  records: BackupRecord[] = [];
  deleted: string[] = [];
  constructor(private readonly now: () => Date) {}
  createBackup(input: CreateBackupInput): BackupRecord {
    const r: BackupRecord = {
      backupId: `backup-${String(this.records.length).padStart(17, '0')}`, region: input.region, fileSystemId: input.fileSystemId,
      type: input.type ?? 'USER_INITIATED', lifecycle: 'AVAILABLE', progressPercent: 100, createdAt: this.now(), fileSystem: input.fileSystem, tags: [],
    };
    this.records.push(r);
    return r;
  }
  describeBackups(f: { region: string; fileSystemIds?: readonly string[]; types?: readonly string[] }): BackupRecord[] {
    return this.records.filter((r) => r.region === f.region && (!f.fileSystemIds || f.fileSystemIds.includes(r.fileSystemId))
      && (!f.types || f.types.includes(r.type)));
  }
  async deleteBackup(region: string, backupId: string): Promise<BackupRecord> {
    const r = this.records.find((x) => x.backupId === backupId && x.region === region);
    assert.ok(r);
    this.records = this.records.filter((x) => x !== r);
    this.deleted.push(backupId);
    return r;
  }
}

function setup(fss: ScheduledFileSystem[]): { clock: { t: Date }; backups: FakeBackups; scheduler: BackupScheduler } {
  const clock = { t: new Date('2026-03-01T00:00:00Z') };
  const backups = new FakeBackups(() => clock.t);
  const host = { fileSystems: async () => fss, describe: async () => ({ volume: {} as Volume, fileSystem: { id: 'x' } }) };
  return { clock, backups, scheduler: new BackupScheduler(host, backups, () => clock.t) };
}

const fsA: ScheduledFileSystem = { region: 'local-1', fileSystemId: 'fs-0000000000000000a', dailyStartTime: '02:00', retentionDays: 2, type: 'AUTOMATIC' };

describe('backup scheduler', () => {
  it('takes one backup inside each daily window and none outside it', async () => {
    const { clock, backups, scheduler } = setup([fsA]);
    clock.t = new Date('2026-03-01T01:59:00Z');
    assert.equal((await scheduler.tick()).started.length, 0, 'before the window');
    clock.t = new Date('2026-03-01T02:05:00Z');
    assert.equal((await scheduler.tick()).started.length, 1, 'inside the window');
    clock.t = new Date('2026-03-01T02:10:00Z');
    assert.equal((await scheduler.tick()).started.length, 0, 'already taken in this window');
    clock.t = new Date('2026-03-01T02:45:00Z');
    assert.equal((await scheduler.tick()).started.length, 0, 'after the window');
    clock.t = new Date('2026-03-02T02:00:00Z');
    const next = await scheduler.tick();
    assert.equal(next.started.length, 1, 'the next day');
    assert.equal(next.started[0].type, 'AUTOMATIC');
  });

  it('prunes automatic backups older than the retention period and keeps user-initiated ones', async () => {
    const { clock, backups, scheduler } = setup([fsA]);
    clock.t = new Date('2026-03-01T02:00:00Z');
    backups.createBackup({ region: 'local-1', fileSystemId: fsA.fileSystemId, volume: {} as Volume, fileSystem: {}, type: 'USER_INITIATED' });
    for (let day = 1; day <= 5; day++) {
      clock.t = new Date(`2026-03-0${day}T02:01:00Z`);
      await scheduler.tick();
    }
    const auto = backups.records.filter((r) => r.type === 'AUTOMATIC').map((r) => r.createdAt.toISOString());
    assert.deepEqual(auto, ['2026-03-03T02:01:00.000Z', '2026-03-04T02:01:00.000Z', '2026-03-05T02:01:00.000Z']);
    assert.equal(backups.deleted.length, 2);
    assert.equal(backups.records.filter((r) => r.type === 'USER_INITIATED').length, 1);
  });

  it('takes nothing when the retention period is 0', async () => {
    const { clock, scheduler } = setup([{ ...fsA, retentionDays: 0 }]);
    clock.t = new Date('2026-03-01T02:00:00Z');
    assert.equal((await scheduler.tick()).started.length, 0);
  });

  it('finds the window that started before midnight, and rejects bad times', () => {
    assert.equal(lastWindowStart(new Date('2026-03-02T00:10:00Z'), '23:50').toISOString(), '2026-03-01T23:50:00.000Z');
    assert.throws(() => lastWindowStart(new Date(), '24:00'));
  });
});
