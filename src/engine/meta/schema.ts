// The SQLite schema of one volume. Each table mirrors a MetaStore row type.
export const SCHEMA_VERSION = 2;

export const SCHEMA = `
-- Every transaction's pages go to the WAL and again to the database at the checkpoint, so the layout keeps the
-- pages one operation touches few: inode numbers and readdir cookies come from the counters row (never reused,
-- without AUTOINCREMENT's sqlite_sequence page), and directory entries are one table keyed for readdir plus one
-- index for lookups by name.
CREATE TABLE IF NOT EXISTS inodes (
  ino INTEGER PRIMARY KEY,
  type TEXT NOT NULL, mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL,
  nlink INTEGER NOT NULL, size INTEGER NOT NULL, used INTEGER NOT NULL,
  rdev_major INTEGER NOT NULL, rdev_minor INTEGER NOT NULL,
  atime_s INTEGER NOT NULL, atime_ns INTEGER NOT NULL, mtime_s INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
  ctime_s INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, btime_s INTEGER NOT NULL, btime_ns INTEGER NOT NULL,
  change INTEGER NOT NULL, generation INTEGER NOT NULL,
  parent INTEGER, target TEXT, verifier BLOB
);
CREATE TABLE IF NOT EXISTS dirents (
  parent INTEGER NOT NULL, cookie INTEGER NOT NULL, name TEXT NOT NULL, ino INTEGER NOT NULL, type TEXT NOT NULL,
  PRIMARY KEY (parent, cookie),
  UNIQUE (parent, name)
) WITHOUT ROWID;
-- A rowid table on purpose: inline data (up to 16 KiB) stays out of the (ino, pos) index, so extent lookups walk
-- small index pages (5x faster than a WITHOUT ROWID table whose key pages carry the data).
CREATE TABLE IF NOT EXISTS extents (
  ino INTEGER NOT NULL, pos INTEGER NOT NULL, len INTEGER NOT NULL,
  block_id TEXT, block_off INTEGER NOT NULL, data BLOB,
  PRIMARY KEY (ino, pos)
);
CREATE TABLE IF NOT EXISTS blocks (
  id TEXT PRIMARY KEY, len INTEGER NOT NULL, sha256 BLOB NOT NULL, refs INTEGER NOT NULL,
  created_seq INTEGER NOT NULL, freed_seq INTEGER, crc32s BLOB
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS blocks_freed ON blocks (freed_seq) WHERE freed_seq IS NOT NULL;
CREATE TABLE IF NOT EXISTS xattrs (
  ino INTEGER NOT NULL, name TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (ino, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, seq INTEGER NOT NULL, created_at INTEGER NOT NULL, usage_json TEXT NOT NULL
);
`;

/**
 * Columns added to a table after volumes were made without them: added when such a volume is opened for writing
 * (every read selects whole rows, so a volume opened read-only reads them as absent, and an earlier build ignores
 * them), hence no new schema version.
 */
export const ADDED_COLUMNS: ReadonlyArray<{ table: string; column: string; type: string }> = [
  { table: 'blocks', column: 'crc32s', type: 'BLOB' },
];
