import type Database from 'better-sqlite3';

/**
 * Names compare case-insensitively (as in IAM) but keep the case they were created with.
 * Tables are only ever added (CREATE IF NOT EXISTS), so older data directories open unchanged.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  user_id TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS access_keys (
  access_key_id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users(name),
  secret_access_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_keys_by_user ON access_keys(user_name);
CREATE TABLE IF NOT EXISTS user_policies (
  user_name TEXT NOT NULL REFERENCES users(name),
  policy_name TEXT NOT NULL COLLATE NOCASE,
  document TEXT NOT NULL,
  PRIMARY KEY (user_name, policy_name)
);
CREATE TABLE IF NOT EXISTS groups (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  group_id TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS group_members (
  group_name TEXT NOT NULL REFERENCES groups(name),
  user_name TEXT NOT NULL REFERENCES users(name),
  PRIMARY KEY (group_name, user_name)
);
CREATE INDEX IF NOT EXISTS group_members_by_user ON group_members(user_name);
CREATE TABLE IF NOT EXISTS group_policies (
  group_name TEXT NOT NULL REFERENCES groups(name),
  policy_name TEXT NOT NULL COLLATE NOCASE,
  document TEXT NOT NULL,
  PRIMARY KEY (group_name, policy_name)
);
`;

export const SCHEMA_VERSION = 2;

export function applySchema(db: Database.Database): void {
  db.pragma('journal_mode = WAL'); // the CLI writes while the server reads
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
