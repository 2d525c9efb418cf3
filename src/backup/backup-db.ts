// Backup records and restores in progress, persisted in DATA_DIR/backups.db (SQLite WAL, so the CLI can
// act on it while the server runs). Each in-progress row names the process running its job, so a restart
// (or another process) can tell an orphaned job from a live one.
import Database from 'better-sqlite3';
import type { BackupLifecycle, BackupRecord, BackupType, Tag } from './backup-record.ts';

interface BackupRow {
  backup_id: string;
  region: string;
  file_system_id: string;
  type: string;
  lifecycle: string;
  progress: number;
  created_at: number;
  failure: string | null;
  file_system_json: string;
  tags_json: string;
  source_backup_id: string | null;
  source_region: string | null;
  size_bytes: number | null;
  bytes_written: number | null;
  owner_pid: number | null;
}

export interface RestoreRow {
  fileSystemId: string;
  region: string;
  backupId: string;
  hydrated: boolean;
}

export interface BackupFilter {
  region: string;
  backupIds?: readonly string[];
  fileSystemIds?: readonly string[];
  types?: readonly BackupType[];
  lifecycles?: readonly BackupLifecycle[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS backups (
  backup_id TEXT NOT NULL, region TEXT NOT NULL, file_system_id TEXT NOT NULL, type TEXT NOT NULL,
  lifecycle TEXT NOT NULL, progress INTEGER NOT NULL, created_at INTEGER NOT NULL, failure TEXT,
  file_system_json TEXT NOT NULL, tags_json TEXT NOT NULL, source_backup_id TEXT, source_region TEXT,
  size_bytes INTEGER, bytes_written INTEGER, owner_pid INTEGER,
  PRIMARY KEY (region, backup_id));
CREATE TABLE IF NOT EXISTS restores (
  file_system_id TEXT PRIMARY KEY, region TEXT NOT NULL, backup_id TEXT NOT NULL, hydrated INTEGER NOT NULL);
`;

export class BackupDb {
  private constructor(private readonly db: Database.Database) {}

  static open(file: string): BackupDb {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    return new BackupDb(db);
  }

  insert(r: BackupRecord, ownerPid: number | null): void {
    this.db.prepare(`INSERT INTO backups VALUES (@backup_id, @region, @file_system_id, @type, @lifecycle, @progress,
      @created_at, @failure, @file_system_json, @tags_json, @source_backup_id, @source_region, @size_bytes, @bytes_written, @owner_pid)`)
      .run(toRow(r, ownerPid));
  }

  update(r: BackupRecord, ownerPid: number | null): void {
    this.db.prepare(`UPDATE backups SET lifecycle = @lifecycle, progress = @progress, failure = @failure, tags_json = @tags_json,
      size_bytes = @size_bytes, bytes_written = @bytes_written, owner_pid = @owner_pid WHERE region = @region AND backup_id = @backup_id`)
      .run(toRow(r, ownerPid));
  }

  get(region: string, backupId: string): (BackupRecord & { ownerPid: number | null }) | undefined {
    const row = this.db.prepare('SELECT * FROM backups WHERE region = ? AND backup_id = ?').get(region, backupId) as BackupRow | undefined;
    return row && { ...fromRow(row), ownerPid: row.owner_pid };
  }

  find(f: BackupFilter): BackupRecord[] {
    return this.rows(f).map(fromRow);
  }

  /** Every in-progress or deleted row, with its owner, for recovery after a restart. */
  unfinished(): Array<BackupRecord & { ownerPid: number | null }> {
    const rows = this.db.prepare(`SELECT * FROM backups WHERE lifecycle IN ('PENDING','CREATING','TRANSFERRING','COPYING','DELETED')`).all() as BackupRow[];
    return rows.map((r) => ({ ...fromRow(r), ownerPid: r.owner_pid }));
  }

  /** Copies in progress whose source is this backup. */
  copiesFrom(region: string, backupId: string): string[] {
    return (this.db.prepare(`SELECT backup_id FROM backups WHERE source_region = ? AND source_backup_id = ? AND lifecycle = 'COPYING'`)
      .all(region, backupId) as Array<{ backup_id: string }>).map((r) => r.backup_id);
  }

  putRestore(r: RestoreRow): void {
    this.db.prepare('INSERT OR REPLACE INTO restores VALUES (?, ?, ?, ?)').run(r.fileSystemId, r.region, r.backupId, r.hydrated ? 1 : 0);
  }

  getRestore(fileSystemId: string): RestoreRow | undefined {
    const row = this.db.prepare('SELECT * FROM restores WHERE file_system_id = ?').get(fileSystemId) as
      { file_system_id: string; region: string; backup_id: string; hydrated: number } | undefined;
    return row && { fileSystemId: row.file_system_id, region: row.region, backupId: row.backup_id, hydrated: row.hydrated === 1 };
  }

  deleteRestore(fileSystemId: string): void {
    this.db.prepare('DELETE FROM restores WHERE file_system_id = ?').run(fileSystemId);
  }

  /** Restores that still read from this backup (not yet fully hydrated). */
  restoringFrom(region: string, backupId: string): string[] {
    return (this.db.prepare('SELECT file_system_id FROM restores WHERE region = ? AND backup_id = ? AND hydrated = 0').all(region, backupId) as
      Array<{ file_system_id: string }>).map((r) => r.file_system_id);
  }

  close(): void {
    this.db.close();
  }

  private rows(f: BackupFilter): BackupRow[] {
    const where = ['region = ?'];
    const args: Array<string | number> = [f.region];
    const within = (col: string, values: readonly string[] | undefined): void => {
      if (values === undefined) return;
      where.push(values.length === 0 ? '0' : `${col} IN (${values.map(() => '?').join(',')})`);
      args.push(...values);
    };
    within('backup_id', f.backupIds);
    within('file_system_id', f.fileSystemIds);
    within('type', f.types);
    within('lifecycle', f.lifecycles);
    return this.db.prepare(`SELECT * FROM backups WHERE ${where.join(' AND ')} ORDER BY created_at, backup_id`).all(...args) as BackupRow[];
  }
}

function toRow(r: BackupRecord, ownerPid: number | null): BackupRow {
  return {
    backup_id: r.backupId, region: r.region, file_system_id: r.fileSystemId, type: r.type, lifecycle: r.lifecycle,
    progress: r.progressPercent, created_at: r.createdAt.getTime(), failure: r.failureMessage ?? null,
    file_system_json: JSON.stringify(r.fileSystem ?? null), tags_json: JSON.stringify(r.tags),
    source_backup_id: r.sourceBackupId ?? null, source_region: r.sourceRegion ?? null,
    size_bytes: r.sizeBytes ?? null, bytes_written: r.bytesWritten ?? null, owner_pid: ownerPid,
  };
}

function fromRow(row: BackupRow): BackupRecord {
  return {
    backupId: row.backup_id, region: row.region, fileSystemId: row.file_system_id, type: row.type as BackupType,
    lifecycle: row.lifecycle as BackupLifecycle, progressPercent: row.progress, createdAt: new Date(row.created_at),
    ...(row.failure !== null && { failureMessage: row.failure }),
    fileSystem: JSON.parse(row.file_system_json) as unknown, tags: JSON.parse(row.tags_json) as Tag[],
    ...(row.source_backup_id !== null && { sourceBackupId: row.source_backup_id }),
    ...(row.source_region !== null && { sourceRegion: row.source_region }),
    ...(row.size_bytes !== null && { sizeBytes: row.size_bytes }),
    ...(row.bytes_written !== null && { bytesWritten: row.bytes_written }),
  };
}
