// Reading and writing file system rows: one place that knows the table layout.
import { stmt, type ControlDb } from './control-db.ts';
import { ServiceError } from './errors.ts';
import type { FileSystem, FileSystemType, FsxSettings, LifeCycleState, Scope, Tag } from './types.ts';

interface FsRow {
  seq: number; id: string; region: string; type: string; creation_token: string; created_at: number; state: string;
  performance_mode: string; throughput_mode: string; provisioned_mibps: number | null; encrypted: number;
  kms_key_id: string | null; az_name: string | null; protection: string; tags: string; fsx: string | null;
  failure: string | null; mt_count: number;
}

const SELECT = `SELECT f.*, (SELECT count(*) FROM mount_targets m WHERE m.fs_id = f.id) AS mt_count FROM file_systems f`;

export type ApiFamily = 'efs' | 'fsx';
const TYPES: Record<ApiFamily, FileSystemType[]> = { efs: ['EFS'], fsx: ['WINDOWS', 'LUSTRE'] };

function fromRow(r: FsRow): FileSystem {
  return {
    seq: r.seq, id: r.id, region: r.region, type: r.type as FileSystemType, creationToken: r.creation_token,
    createdAt: new Date(r.created_at), state: r.state as LifeCycleState, performanceMode: r.performance_mode,
    throughputMode: r.throughput_mode, provisionedThroughputInMibps: r.provisioned_mibps ?? undefined,
    encrypted: r.encrypted === 1, kmsKeyId: r.kms_key_id ?? undefined, availabilityZoneName: r.az_name ?? undefined,
    replicationOverwriteProtection: r.protection, tags: JSON.parse(r.tags) as Tag[],
    fsx: r.fsx ? (JSON.parse(r.fsx) as FsxSettings) : undefined, failure: r.failure ?? undefined, mountTargetCount: r.mt_count,
  };
}

export class FileSystemRows {
  constructor(private readonly db: ControlDb) {}

  insert(fs: Omit<FileSystem, 'seq'>): FileSystem {
    const info = stmt(this.db, `INSERT INTO file_systems (id, region, type, creation_token, created_at, state, performance_mode,
      throughput_mode, provisioned_mibps, encrypted, kms_key_id, az_name, protection, tags, fsx, backup_status)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      fs.id, fs.region, fs.type, fs.creationToken, fs.createdAt.getTime(), fs.state, fs.performanceMode, fs.throughputMode,
      fs.provisionedThroughputInMibps ?? null, fs.encrypted ? 1 : 0, fs.kmsKeyId ?? null, fs.availabilityZoneName ?? null,
      fs.replicationOverwriteProtection, JSON.stringify(fs.tags), fs.fsx ? JSON.stringify(fs.fsx) : null, 'DISABLED');
    return { ...fs, seq: Number(info.lastInsertRowid), mountTargetCount: 0 };
  }

  find(id: string): FileSystem | undefined {
    const r = stmt(this.db, `${SELECT} WHERE f.id = ?`).get(id) as FsRow | undefined;
    return r && fromRow(r);
  }

  /** The file system in this scope and API family, or FileSystemNotFound. */
  get(scope: Scope, family: ApiFamily, id: string): FileSystem {
    const fs = this.find(id);
    if (!fs || fs.region !== scope.region || !TYPES[family].includes(fs.type)) {
      throw new ServiceError('FileSystemNotFound', `File system '${id}' does not exist.`);
    }
    return fs;
  }

  byToken(scope: Scope, family: ApiFamily, token: string): FileSystem | undefined {
    const r = stmt(this.db, `${SELECT} WHERE f.region = ? AND f.creation_token = ? AND f.type IN (${TYPES[family].map(() => '?').join(',')})`)
      .get(scope.region, token, ...TYPES[family]) as FsRow | undefined;
    return r && fromRow(r);
  }

  /** Rows after `afterSeq`, at most `limit`. */
  list(scope: Scope, family: ApiFamily, afterSeq: number, limit: number): FileSystem[] {
    const rows = stmt(this.db, `${SELECT} WHERE f.region = ? AND f.seq > ? AND f.type IN (${TYPES[family].map(() => '?').join(',')})
      ORDER BY f.seq LIMIT ?`).all(scope.region, afterSeq, ...TYPES[family], limit) as FsRow[];
    return rows.map(fromRow);
  }

  all(): FileSystem[] {
    return (stmt(this.db, `${SELECT} ORDER BY f.seq`).all() as FsRow[]).map(fromRow);
  }

  count(scope: Scope): number {
    return (stmt(this.db, 'SELECT count(*) AS n FROM file_systems WHERE region = ?').get(scope.region) as { n: number }).n;
  }

  setState(id: string, state: LifeCycleState, failure?: string): void {
    stmt(this.db, 'UPDATE file_systems SET state = ?, failure = ? WHERE id = ?').run(state, failure ?? null, id);
  }

  update(id: string, set: { throughputMode?: string; provisionedThroughputInMibps?: number | null; protection?: string;
    tags?: Tag[]; fsx?: FsxSettings }): void {
    const cols: string[] = [];
    const vals: Array<string | number | null> = [];
    const add = (col: string, v: string | number | null) => { cols.push(`${col} = ?`); vals.push(v); };
    if (set.throughputMode !== undefined) add('throughput_mode', set.throughputMode);
    if (set.provisionedThroughputInMibps !== undefined) add('provisioned_mibps', set.provisionedThroughputInMibps);
    if (set.protection !== undefined) add('protection', set.protection);
    if (set.tags !== undefined) add('tags', JSON.stringify(set.tags));
    if (set.fsx !== undefined) add('fsx', JSON.stringify(set.fsx));
    if (cols.length === 0) return;
    stmt(this.db, `UPDATE file_systems SET ${cols.join(', ')} WHERE id = ?`).run(...vals, id);
  }

  getSetting(id: string, col: 'policy' | 'lifecycle' | 'backup_status'): string | null {
    const r = stmt(this.db, `SELECT ${col} AS v FROM file_systems WHERE id = ?`).get(id) as { v: string | null } | undefined;
    return r?.v ?? null;
  }

  setSetting(id: string, col: 'policy' | 'lifecycle' | 'backup_status', value: string | null): void {
    stmt(this.db, `UPDATE file_systems SET ${col} = ? WHERE id = ?`).run(value, id);
  }

  remove(id: string): void {
    stmt(this.db, 'DELETE FROM file_systems WHERE id = ?').run(id);
  }
}
