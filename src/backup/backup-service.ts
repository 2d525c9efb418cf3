// The backup resource layer under the FSx API and the CLI: Backup records with their lifecycle and
// progress, the reference's rules as typed errors, jobs that run in the background, and recovery after a
// restart (a job whose manifest was written becomes AVAILABLE, a copy is resumed, anything else is FAILED;
// nothing half-written is ever AVAILABLE because a manifest is the last thing a job writes).
import { join } from 'node:path';
import type { HydrationStatus, Volume } from '../engine/index.ts';
import { BackupDb, type BackupFilter } from './backup-db.ts';
import { BackupError } from './backup-errors.ts';
import { deleteStaleBackupSnapshots, runBackup, type JobResult } from './backup-job.ts';
import {
  checkBackupTags, IN_PROGRESS, newBackupId, type BackupLifecycle, type BackupRecord, type BackupType, type Tag,
} from './backup-record.ts';
import { runCopy } from './copy-job.ts';
import { percent, type JobProgress } from './job-progress.ts';
import { isProcessAlive } from './vault/process-alive.ts';
import { sweepVault, type SweepReport } from './vault/sweep.ts';
import type { VaultOptions } from './vault/vault.ts';
import { VaultSet } from './vault-set.ts';

export interface BackupServiceOptions {
  dataDir: string;
  /** Region name → vault directory (config: DATA_DIR/vaults/<region>). */
  vaults: ReadonlyMap<string, string>;
  /** Creation times (the scheduler's clock in tests). */
  now?: () => Date;
  /** Unreferenced blobs younger than this survive a sweep (default one hour). */
  graceMs?: number;
  vaultOptions?: VaultOptions;
  /** Sweep every vault after recovery (default true; short-lived CLI readers pass false). */
  sweepOnOpen?: boolean;
}

export interface CreateBackupInput {
  region: string;
  fileSystemId: string;
  volume: Volume;
  type?: BackupType;
  /** The file system's description (embedded in the Backup and used to restore it): opaque here. */
  fileSystem: unknown;
  tags?: Tag[];
  /** The file system is being updated: the backup stays PENDING until this settles. */
  readyWhen?: Promise<unknown>;
}

export interface CopyBackupInput {
  region: string;
  sourceRegion: string;
  sourceBackupId: string;
  copyTags?: boolean;
  tags?: Tag[];
}

/** At most this many copies in progress to one destination region (the reference's limit). */
export const MAX_COPIES_PER_REGION = 5;

export class BackupService {
  readonly vaults: VaultSet;
  /** Latest hydration status of file systems restored by this process (the API's progress extension field). */
  readonly hydration = new Map<string, HydrationStatus>();
  private readonly db: BackupDb;
  private readonly now: () => Date;
  private readonly graceMs: number | undefined;
  private readonly jobs = new Map<string, Promise<void>>();
  private readonly owedSweeps = new Set<string>();
  private sweeping: Promise<void> = Promise.resolve();

  private constructor(opts: BackupServiceOptions) {
    this.db = BackupDb.open(join(opts.dataDir, 'backups.db'));
    this.vaults = new VaultSet(opts.vaults, opts.vaultOptions);
    this.now = opts.now ?? (() => new Date());
    this.graceMs = opts.graceMs;
  }

  /** Opens the records and recovers what a previous process left unfinished. */
  static async open(opts: BackupServiceOptions): Promise<BackupService> {
    const svc = new BackupService(opts);
    await svc.recover(opts.sweepOnOpen ?? true);
    return svc;
  }

  createBackup(input: CreateBackupInput): BackupRecord {
    this.requireRegion(input.region);
    const tags = this.checkTags(input.tags ?? []);
    const record: BackupRecord = {
      backupId: newBackupId(), region: input.region, fileSystemId: input.fileSystemId, type: input.type ?? 'USER_INITIATED',
      lifecycle: input.readyWhen ? 'PENDING' : 'CREATING', progressPercent: 0, createdAt: this.now(),
      fileSystem: input.fileSystem, tags,
    };
    this.db.insert(record, process.pid);
    this.startJob(record, async () => {
      await input.readyWhen;
      this.save(record, { lifecycle: 'CREATING' });
      await deleteStaleBackupSnapshots(input.volume, this.runningIds());
      return runBackup({
        volume: input.volume, vault: await this.vaults.get(record.region), backupId: record.backupId, type: record.type,
        region: record.region, fileSystemId: record.fileSystemId, fileSystem: record.fileSystem, tags: record.tags,
        onSnapshot: () => this.save(record, { lifecycle: 'TRANSFERRING' }), onProgress: (p) => this.progress(record, p),
      });
    });
    return { ...record };
  }

  copyBackup(input: CopyBackupInput): BackupRecord {
    this.requireRegion(input.region);
    this.requireRegion(input.sourceRegion);
    const source = this.getBackup(input.sourceRegion, input.sourceBackupId);
    if (source.lifecycle !== 'AVAILABLE') {
      throw new BackupError('SourceBackupUnavailable', `Backup ${source.backupId} is ${source.lifecycle}; only an AVAILABLE backup can be copied.`);
    }
    if (this.db.find({ region: input.region, lifecycles: ['COPYING'] }).length >= MAX_COPIES_PER_REGION) {
      throw new BackupError('ServiceLimitExceeded', `At most ${MAX_COPIES_PER_REGION} backup copies can be in progress to region ${input.region}.`);
    }
    const record: BackupRecord = {
      backupId: newBackupId(), region: input.region, fileSystemId: source.fileSystemId, type: 'USER_INITIATED',
      lifecycle: 'COPYING', progressPercent: 0, createdAt: this.now(), fileSystem: source.fileSystem,
      tags: this.checkTags(mergeTags(input.copyTags ? source.tags : [], input.tags ?? [])),
      sourceBackupId: source.backupId, sourceRegion: source.region,
    };
    this.db.insert(record, process.pid);
    this.startCopy(record);
    return { ...record };
  }

  /** DescribeBackups: deleted backups are not listed; naming an unknown id is BackupNotFound. */
  describeBackups(filter: Omit<BackupFilter, 'lifecycles'>): BackupRecord[] {
    const found = this.db.find(filter).filter((r) => r.lifecycle !== 'DELETED');
    const missing = (filter.backupIds ?? []).filter((id) => !found.some((r) => r.backupId === id));
    if (missing.length > 0) throw new BackupError('BackupNotFound', `Backup ${missing[0]} does not exist in region ${filter.region}.`);
    return found;
  }

  getBackup(region: string, backupId: string): BackupRecord {
    const r = this.db.get(region, backupId);
    if (!r || r.lifecycle === 'DELETED') throw new BackupError('BackupNotFound', `Backup ${backupId} does not exist in region ${region}.`);
    const { ownerPid: _ownerPid, ...record } = r;
    return record;
  }

  /**
   * DeleteBackup. AWS_BACKUP backups are refused unless `asBackupService` (the `fathom backup` CLI, the
   * backup service's own interface). The manifest goes first; the data only this backup held goes at the sweep.
   */
  async deleteBackup(region: string, backupId: string, opts: { asBackupService?: boolean } = {}): Promise<BackupRecord> {
    const record = this.getBackup(region, backupId);
    this.checkDeletable(record, opts.asBackupService === true);
    this.save(record, { lifecycle: 'DELETED' });
    const vault = await this.vaults.get(region);
    await vault.deleteManifest(backupId);
    await this.sweep(region);
    return record;
  }

  /** The automatic backups of a deleted file system go with it; user-initiated ones outlive it. */
  async deleteFileSystemBackups(region: string, fileSystemId: string): Promise<string[]> {
    const automatic = this.db.find({ region, fileSystemIds: [fileSystemId], types: ['AUTOMATIC'], lifecycles: ['AVAILABLE', 'FAILED'] });
    for (const r of automatic) await this.deleteBackup(region, r.backupId);
    return automatic.map((r) => r.backupId);
  }

  /** Resolves when the backup's job ends (at once when none runs in this process). */
  async waitFor(region: string, backupId: string): Promise<BackupRecord> {
    await this.jobs.get(`${region}/${backupId}`)?.catch(() => undefined);
    return this.getBackup(region, backupId);
  }

  /** Mark and sweep the region's vault; when a job holds it, the sweep is retried after the next job ends. */
  async sweep(region: string): Promise<SweepReport> {
    const report = await sweepVault(await this.vaults.get(region), { graceMs: this.graceMs });
    if (report.ran) this.owedSweeps.delete(region);
    else this.owedSweeps.add(region);
    return report;
  }

  /** Waits for running jobs, then closes the records. */
  async close(): Promise<void> {
    while (this.jobs.size > 0) await Promise.allSettled([...this.jobs.values()]);
    await this.sweeping;
    await this.vaults.flushAll();
    this.db.close();
  }

  /** For the restore module: the records store (restores in progress keep their source backup). */
  get records(): BackupDb {
    return this.db;
  }

  private checkDeletable(record: BackupRecord, asBackupService: boolean): void {
    const id = record.backupId;
    if (record.type === 'AWS_BACKUP' && !asBackupService) {
      throw new BackupError('BadRequest', `Backup ${id} was taken by the backup service (AWS_BACKUP); delete it with \`fathom backup delete\`.`);
    }
    if (IN_PROGRESS.includes(record.lifecycle)) throw new BackupError('BackupInProgress', `Backup ${id} is ${record.lifecycle}.`);
    if (this.db.copiesFrom(record.region, id).length > 0) throw new BackupError('BackupBeingCopied', `Backup ${id} is being copied.`);
    if (this.db.restoringFrom(record.region, id).length > 0) {
      throw new BackupError('BackupRestoring', `File systems restored from backup ${id} are still reading from it.`);
    }
  }

  private startCopy(record: BackupRecord): void {
    this.startJob(record, async () => runCopy({
      source: await this.vaults.get(record.sourceRegion ?? record.region), dest: await this.vaults.get(record.region),
      sourceBackupId: record.sourceBackupId ?? '', sourceRegion: record.sourceRegion ?? record.region,
      backupId: record.backupId, region: record.region, tags: record.tags, onProgress: (p) => this.progress(record, p),
    }));
  }

  private startJob(record: BackupRecord, job: () => Promise<JobResult>): void {
    const key = `${record.region}/${record.backupId}`;
    const run = job().then(
      (r) => this.save(record, { lifecycle: 'AVAILABLE', progressPercent: 100, sizeBytes: r.manifest.dataBytes, bytesWritten: r.progress.bytesWritten }),
      (e: unknown) => this.save(record, { lifecycle: 'FAILED', failureMessage: e instanceof Error ? e.message : String(e) }),
    ).finally(() => {
      this.jobs.delete(key);
      this.retryOwedSweeps();
    });
    this.jobs.set(key, run);
  }

  /** Sweeps that a running job deferred; chained so that close() can wait for them. */
  private retryOwedSweeps(): void {
    this.sweeping = this.sweeping.then(async () => {
      for (const region of [...this.owedSweeps]) await this.sweep(region).catch(() => undefined);
    });
  }

  private progress(record: BackupRecord, p: JobProgress): void {
    const pct = percent(p);
    if (pct !== record.progressPercent) this.save(record, { progressPercent: pct, bytesWritten: p.bytesWritten });
  }

  /** Updates the record in memory and in the database (the owner is this process while the job runs). */
  private save(record: BackupRecord, change: Partial<BackupRecord>): void {
    Object.assign(record, change);
    this.db.update(record, IN_PROGRESS.includes(record.lifecycle) ? process.pid : null);
  }

  private runningIds(): Set<string> {
    return new Set([...this.jobs.keys()].map((k) => k.slice(k.indexOf('/') + 1)));
  }

  private requireRegion(region: string): void {
    if (!this.vaults.has(region)) throw new BackupError('InvalidRegion', `Region ${region} is not configured.`);
  }

  private checkTags(tags: Tag[]): Tag[] {
    const problem = checkBackupTags(tags);
    if (problem) throw new BackupError('BadRequest', problem);
    return tags;
  }

  /** After a restart: finish what the dead process left, by what the vault shows. */
  private async recover(sweep: boolean): Promise<void> {
    for (const r of this.db.unfinished()) {
      if (r.ownerPid !== null && isProcessAlive(r.ownerPid)) continue;
      const { ownerPid: _ownerPid, ...record } = r;
      if (!this.vaults.has(record.region)) continue;
      await this.recoverOne(record);
    }
    if (!sweep) return;
    for (const region of this.vaults.regions()) this.owedSweeps.add(region);
    this.retryOwedSweeps();
  }

  private async recoverOne(record: BackupRecord): Promise<void> {
    const vault = await this.vaults.get(record.region);
    const written = await vault.hasManifest(record.backupId);
    if (record.lifecycle === 'DELETED') {
      if (written) await vault.deleteManifest(record.backupId);
    } else if (written) {
      const m = await vault.getManifest(record.backupId);
      this.save(record, { lifecycle: 'AVAILABLE', progressPercent: 100, sizeBytes: m.dataBytes });
    } else if (record.lifecycle === 'COPYING' && this.sourceAvailable(record)) {
      this.save(record, { progressPercent: 0 });
      this.startCopy(record);
    } else {
      this.save(record, { lifecycle: 'FAILED', failureMessage: 'The backup was interrupted by a restart of the server.' });
    }
  }

  private sourceAvailable(record: BackupRecord): boolean {
    const src = record.sourceRegion && record.sourceBackupId ? this.db.get(record.sourceRegion, record.sourceBackupId) : undefined;
    return src?.lifecycle === 'AVAILABLE';
  }
}

/** CopyTags merges the source's tags with the request's; the request wins on the same key. */
function mergeTags(base: readonly Tag[], extra: readonly Tag[]): Tag[] {
  const byKey = new Map(base.map((t) => [t.Key, t.Value]));
  for (const t of extra) byKey.set(t.Key, t.Value);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

export type { BackupLifecycle, BackupRecord, BackupType, Tag };
