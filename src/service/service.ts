// The service layer's entry point: opens the control database and volumes, and resumes transitions
// interrupted by a restart. The API, the CLI and the export table all use this one object.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { BackupService } from '../backup/backup-service.ts';
import type { BackupScheduler } from '../backup/scheduler.ts';
import { createBackupScheduler } from './backup-schedule.ts';
import type { FathomConfig } from '../config/config.ts';
import { AccessPoints } from './access-points.ts';
import { AccountPreferences } from './account-preferences.ts';
import { FsxBackups } from './backups.ts';
import { ServiceContext } from './context.ts';
import { openControlDb } from './control-db.ts';
import { FileSystemSettings } from './file-system-settings.ts';
import { FileSystems } from './file-systems.ts';
import { deleteFsxFileSystem } from './fsx-deletion.ts';
import { FsxFileSystems } from './fsx-file-systems.ts';
import { MountTargets } from './mount-targets.ts';
import { ResourceTags } from './resource-tags.ts';
import { FileSystemRestores } from './restore-from-backup.ts';
import { EngineVolumes, type VolumeProvider } from './volumes.ts';

export interface ServiceOptions {
  config: FathomConfig;
  accountId: string;
  volumes?: VolumeProvider;
  logger?: Logger;
  limits?: { accessPointsPerFileSystem?: number };
  /** Backup subsystem knobs (tests: a short sweep grace period, a fake clock for creation times). */
  backup?: { graceMs?: number; now?: () => Date };
}

export class FathomService {
  readonly fileSystems: FileSystems;
  readonly fsx: FsxFileSystems;
  readonly mountTargets: MountTargets;
  readonly accessPoints: AccessPoints;
  readonly settings: FileSystemSettings;
  readonly tags: ResourceTags;
  readonly preferences: AccountPreferences;
  readonly backups: FsxBackups;
  readonly restores: FileSystemRestores;

  private constructor(readonly ctx: ServiceContext, opts: ServiceOptions, backupService: BackupService) {
    this.fileSystems = new FileSystems(ctx);
    this.fsx = new FsxFileSystems(ctx, this.fileSystems);
    this.mountTargets = new MountTargets(ctx, this.fileSystems);
    this.accessPoints = new AccessPoints(ctx, this.fileSystems, opts.limits?.accessPointsPerFileSystem);
    this.settings = new FileSystemSettings(ctx, this.fileSystems);
    this.tags = new ResourceTags(this.fileSystems, this.accessPoints);
    this.preferences = new AccountPreferences(ctx);
    this.backups = new FsxBackups(ctx, this.fileSystems, backupService);
    this.restores = new FileSystemRestores(ctx, this.fsx, backupService);
  }

  static async open(opts: ServiceOptions): Promise<FathomService> {
    mkdirSync(join(opts.config.dataDir, 'volumes'), { recursive: true });
    const db = openControlDb(join(opts.config.dataDir, 'control.db'));
    const logger = opts.logger ?? pino({ level: 'silent' });
    const ctx = new ServiceContext(db, opts.config, opts.volumes ?? new EngineVolumes(opts.config.dataDir), logger, opts.accountId);
    // One BackupService per server, with the vault of every configured region.
    const backups = await BackupService.open({ dataDir: opts.config.dataDir, vaults: new Map(opts.config.regions.map((r) => [r.name, r.vaultDir])),
      graceMs: opts.backup?.graceMs, now: opts.backup?.now });
    const service = new FathomService(ctx, opts, backups);
    await service.resume();
    return service;
  }

  /** Reopens volumes and finishes what a restart interrupted (creating → available, deleting → gone). */
  private async resume(): Promise<void> {
    const rows = this.fileSystems.rows;
    for (const fs of rows.all()) {
      if (fs.state === 'deleting') {
        rows.setState(fs.id, 'available');
        // An FSx deletion still drops its automatic backups; a final backup the restart interrupted is FAILED (recovery).
        if (fs.type === 'EFS') this.fileSystems.delete({ region: fs.region }, 'efs', fs.id);
        else deleteFsxFileSystem(this.fileSystems, this.backups, { region: fs.region }, fs.id, { skipFinalBackup: true });
        continue;
      }
      try {
        const capacityBytes = fs.fsx ? fs.fsx.storageCapacity * 1024 ** 3 : undefined;
        if (!(await this.restores.reopen(fs, capacityBytes))) await this.ctx.volumes.open(fs.id, { capacityBytes });
        if (fs.state === 'creating') rows.setState(fs.id, 'available');
      } catch (e) {
        this.ctx.logger.error({ err: e, fileSystemId: fs.id }, 'cannot open volume');
        rows.setState(fs.id, 'error', e instanceof Error ? e.message : String(e));
      }
    }
    this.ctx.db.prepare("UPDATE mount_targets SET state = 'available' WHERE state = 'creating'").run();
    this.ctx.db.prepare("DELETE FROM mount_targets WHERE state = 'deleting'").run();
    this.ctx.db.prepare("DELETE FROM access_points WHERE state = 'deleting'").run();
    for (const ap of this.accessPoints.all()) {
      if (this.ctx.volumes.get(ap.fileSystemId)) {
        await this.accessPoints.resolveRoot(ap).catch((e: unknown) => this.ctx.logger.error({ err: e, accessPointId: ap.id }, 'cannot resolve root directory'));
      }
    }
    this.ctx.changed();
  }

  get accountId(): string {
    return this.ctx.accountId;
  }

  /** Automatic daily backups of every file system (serve starts it with the real clock; tests tick it). */
  backupScheduler(now?: () => Date): BackupScheduler {
    return createBackupScheduler(this.ctx, this.fileSystems, this.backups, now);
  }

  /** Waits for background transitions (tests, shutdown). */
  idle(): Promise<void> {
    return this.ctx.idle();
  }

  async close(): Promise<void> {
    await this.ctx.idle();
    // Backup jobs read volumes: they finish before the volumes close.
    await this.backups.backups.close();
    await this.ctx.volumes.closeAll();
    this.ctx.db.close();
  }
}
