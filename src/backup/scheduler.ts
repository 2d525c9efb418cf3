// Automatic daily backups: each file system is backed up once inside its daily window
// (DailyAutomaticBackupStartTime, UTC, a window of WINDOW_MS) and its automatic backups are pruned once
// older than the retention period (0 days = automatic backups off). The clock is injected: tests call
// tick() with a fake one and never sleep; the server calls start().
import type { Volume } from '../engine/index.ts';
import type { BackupRecord, BackupType, Tag } from './backup-record.ts';
import type { BackupService } from './backup-service.ts';

export interface ScheduledFileSystem {
  region: string;
  fileSystemId: string;
  /** 'HH:MM' UTC; default DEFAULT_START_TIME. */
  dailyStartTime?: string;
  /** 0–90; 0 turns automatic backups off (existing ones are kept). */
  retentionDays: number;
  /** FSx daily backups are AUTOMATIC; EFS BackupPolicy ENABLED backups are AWS_BACKUP. */
  type: Extract<BackupType, 'AUTOMATIC' | 'AWS_BACKUP'>;
}

/** What the service layer tells the scheduler: which file systems exist, and how to back one up now. */
export interface SchedulerHost {
  fileSystems(): Promise<ScheduledFileSystem[]>;
  describe(fs: ScheduledFileSystem): Promise<{ volume: Volume; fileSystem: unknown; tags?: Tag[] }>;
}

export type SchedulerBackups = Pick<BackupService, 'createBackup' | 'describeBackups' | 'deleteBackup'>;

export const WINDOW_MS = 30 * 60_000;
export const DEFAULT_START_TIME = '05:00';
const DAY_MS = 86_400_000;

export interface TickResult {
  started: BackupRecord[];
  pruned: string[];
  errors: Array<{ fileSystemId: string; error: unknown }>;
}

export class BackupScheduler {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: SchedulerHost,
    private readonly backups: SchedulerBackups,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One pass over every file system: start due backups, prune expired ones. */
  async tick(): Promise<TickResult> {
    const result: TickResult = { started: [], pruned: [], errors: [] };
    for (const fs of await this.host.fileSystems()) {
      try {
        await this.startIfDue(fs, result);
        await this.prune(fs, result);
      } catch (error) {
        result.errors.push({ fileSystemId: fs.fileSystemId, error });
      }
    }
    return result;
  }

  start(intervalMs = 60_000, onError: (e: unknown) => void = () => undefined): void {
    this.timer = setInterval(() => void this.tick().then((r) => r.errors.forEach((e) => onError(e.error)), onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async startIfDue(fs: ScheduledFileSystem, result: TickResult): Promise<void> {
    if (fs.retentionDays <= 0) return;
    const now = this.now();
    const windowStart = lastWindowStart(now, fs.dailyStartTime ?? DEFAULT_START_TIME);
    if (now.getTime() >= windowStart.getTime() + WINDOW_MS) return;
    const taken = this.automatic(fs).some((b) => b.createdAt.getTime() >= windowStart.getTime());
    if (taken) return;
    const d = await this.host.describe(fs);
    result.started.push(this.backups.createBackup({
      region: fs.region, fileSystemId: fs.fileSystemId, volume: d.volume, type: fs.type, fileSystem: d.fileSystem, tags: d.tags,
    }));
  }

  private async prune(fs: ScheduledFileSystem, result: TickResult): Promise<void> {
    if (fs.retentionDays <= 0) return;
    const cutoff = this.now().getTime() - fs.retentionDays * DAY_MS;
    for (const b of this.automatic(fs)) {
      if (b.createdAt.getTime() >= cutoff || (b.lifecycle !== 'AVAILABLE' && b.lifecycle !== 'FAILED')) continue;
      await this.backups.deleteBackup(fs.region, b.backupId, { asBackupService: true });
      result.pruned.push(b.backupId);
    }
  }

  private automatic(fs: ScheduledFileSystem): BackupRecord[] {
    return this.backups.describeBackups({ region: fs.region, fileSystemIds: [fs.fileSystemId], types: [fs.type] });
  }
}

/** The latest start of the daily window at or before `now`. */
export function lastWindowStart(now: Date, hhmm: string): Date {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`bad daily start time ${JSON.stringify(hhmm)} (HH:MM, UTC)`);
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), Number(m[1]), Number(m[2]));
  return new Date(start <= now.getTime() ? start : start - DAY_MS);
}
