// The control-plane database (DATA_DIR/control.db): resources and their states, one SQLite file in WAL mode.
import Database from 'better-sqlite3';

export type ControlDb = Database.Database;

const statements = new WeakMap<ControlDb, Map<string, Database.Statement>>();

/** A prepared statement cached per database: the API's hot paths run the same few queries. */
export function stmt(db: ControlDb, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS file_systems (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  region TEXT NOT NULL,
  type TEXT NOT NULL,
  creation_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  performance_mode TEXT NOT NULL,
  throughput_mode TEXT NOT NULL,
  provisioned_mibps REAL,
  encrypted INTEGER NOT NULL,
  kms_key_id TEXT,
  az_name TEXT,
  protection TEXT NOT NULL DEFAULT 'ENABLED',
  tags TEXT NOT NULL DEFAULT '[]',
  fsx TEXT,
  failure TEXT,
  policy TEXT,
  lifecycle TEXT NOT NULL DEFAULT '[]',
  backup_status TEXT NOT NULL DEFAULT 'DISABLED'
);
CREATE INDEX IF NOT EXISTS file_systems_token ON file_systems(region, type, creation_token);
CREATE TABLE IF NOT EXISTS mount_targets (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  fs_id TEXT NOT NULL,
  region TEXT NOT NULL,
  subnet_id TEXT NOT NULL,
  zone TEXT NOT NULL,
  ip TEXT NOT NULL,
  state TEXT NOT NULL,
  security_groups TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS mount_targets_fs ON mount_targets(fs_id);
CREATE TABLE IF NOT EXISTS access_points (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  fs_id TEXT NOT NULL,
  region TEXT NOT NULL,
  client_token TEXT NOT NULL,
  state TEXT NOT NULL,
  posix_user TEXT,
  root_directory TEXT NOT NULL,
  root_ino INTEGER,
  tags TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS access_points_fs ON access_points(fs_id);
CREATE TABLE IF NOT EXISTS account_preferences (
  region TEXT PRIMARY KEY,
  resource_id_type TEXT NOT NULL
);
-- Idempotency of CreateBackup/CopyBackup (ClientRequestToken): the request's hash and the backup it made.
CREATE TABLE IF NOT EXISTS backup_tokens (
  region TEXT NOT NULL,
  token TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  backup_id TEXT NOT NULL,
  PRIMARY KEY (region, token)
);
-- Export ids are carried in NFS file handles: never reused, stable across restarts.
CREATE TABLE IF NOT EXISTS export_ids (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  path TEXT NOT NULL UNIQUE
);
`;

export function openControlDb(path: string): ControlDb {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}
