// Access points: an application-specific entry into a file system with a forced POSIX identity and a
// root directory (created with CreationInfo when missing).
import { isDeepStrictEqual } from 'node:util';
import type { ServiceContext } from './context.ts';
import { ServiceError } from './errors.ts';
import type { FileSystems } from './file-systems.ts';
import { newId } from './ids.ts';
import { decodeToken, pageSize, toPage, type Page } from './pagination.ts';
import { resolveRootDirectory } from './root-directory.ts';
import { checkUniqueKeys } from './tags.ts';
import type { AccessPoint, LifeCycleState, PosixUser, RootDirectory, Scope, Tag } from './types.ts';
import { stmt } from './control-db.ts';

interface ApRow {
  seq: number; id: string; fs_id: string; region: string; client_token: string; state: string; posix_user: string | null;
  root_directory: string; root_ino: number | null; tags: string;
}

function fromRow(r: ApRow): AccessPoint {
  return { seq: r.seq, id: r.id, fileSystemId: r.fs_id, region: r.region, clientToken: r.client_token, state: r.state as LifeCycleState,
    posixUser: r.posix_user ? (JSON.parse(r.posix_user) as PosixUser) : undefined,
    rootDirectory: JSON.parse(r.root_directory) as RootDirectory, rootIno: r.root_ino ?? undefined, tags: JSON.parse(r.tags) as Tag[] };
}

export interface CreateAccessPointInput {
  clientToken: string;
  fileSystemId: string;
  posixUser?: PosixUser;
  rootDirectory?: RootDirectory;
  tags?: Tag[];
}

export class AccessPoints {
  constructor(private readonly ctx: ServiceContext, private readonly fileSystems: FileSystems, private readonly maxPerFileSystem = 10_000) {}

  create(scope: Scope, input: CreateAccessPointInput): AccessPoint {
    const rootDirectory = input.rootDirectory ?? { path: '/' };
    const existing = this.list('region = ? AND client_token = ?', [scope.region, input.clientToken])[0];
    if (existing) {
      const same = existing.fileSystemId === input.fileSystemId && isDeepStrictEqual(existing.posixUser, input.posixUser)
        && isDeepStrictEqual(existing.rootDirectory, rootDirectory);
      if (same) return existing;
      throw new ServiceError('AccessPointAlreadyExists', `Access point with client token '${input.clientToken}' already exists.`,
        { details: { AccessPointId: existing.id } });
    }
    const fs = this.fileSystems.rows.get(scope, 'efs', input.fileSystemId);
    this.fileSystems.requireAvailable(fs);
    checkUniqueKeys(input.tags ?? []);
    if (this.list('fs_id = ?', [fs.id]).length >= this.maxPerFileSystem) {
      throw new ServiceError('AccessPointLimitExceeded', `File system '${fs.id}' already has ${this.maxPerFileSystem} access points.`);
    }
    const id = newId('access-point');
    stmt(this.ctx.db, `INSERT INTO access_points (id, fs_id, region, client_token, state, posix_user, root_directory, tags)
      VALUES (?, ?, ?, ?, 'creating', ?, ?, ?)`).run(id, fs.id, scope.region, input.clientToken,
      input.posixUser ? JSON.stringify(input.posixUser) : null, JSON.stringify(rootDirectory), JSON.stringify(input.tags ?? []));
    this.ctx.background(`access point ${id}`, () => this.resolveRoot(this.get(scope, id)), () => this.setState(id, 'error'));
    return this.get(scope, id);
  }

  /** Finds (or creates) the root directory in the volume and records its inode; then the access point is available. */
  async resolveRoot(ap: AccessPoint): Promise<void> {
    const volume = this.ctx.volumes.get(ap.fileSystemId) ?? (await this.ctx.volumes.open(ap.fileSystemId));
    const ino = await resolveRootDirectory(volume, ap.rootDirectory);
    stmt(this.ctx.db, "UPDATE access_points SET root_ino = ?, state = 'available' WHERE id = ? AND state IN ('creating', 'available')")
      .run(ino ?? null, ap.id);
    this.ctx.changed();
  }

  get(scope: Scope, idOrUndefined: string): AccessPoint {
    const ap = this.list('id = ? AND region = ?', [idOrUndefined, scope.region])[0];
    if (!ap) throw new ServiceError('AccessPointNotFound', `Access point '${idOrUndefined}' does not exist.`);
    return ap;
  }

  describe(scope: Scope, input: { accessPointId?: string; fileSystemId?: string; nextToken?: string; maxResults?: number }): Page<AccessPoint> {
    if (input.accessPointId !== undefined && input.fileSystemId !== undefined) {
      throw new ServiceError('BadRequest', 'Specify AccessPointId or FileSystemId, not both.');
    }
    if (input.accessPointId !== undefined) return { items: [this.get(scope, input.accessPointId)] };
    const max = pageSize(input.maxResults);
    const after = decodeToken(input.nextToken);
    const rows = input.fileSystemId !== undefined
      ? this.list('fs_id = ? AND seq > ? ORDER BY seq LIMIT ?', [this.fileSystems.rows.get(scope, 'efs', input.fileSystemId).id, after, max + 1])
      : this.list('region = ? AND seq > ? ORDER BY seq LIMIT ?', [scope.region, after, max + 1]);
    return toPage(rows, max, (a) => a);
  }

  delete(scope: Scope, id: string): void {
    const ap = this.get(scope, id);
    if (ap.state === 'deleting') return;
    this.setState(id, 'deleting');
    this.ctx.changed();
    this.ctx.background(`delete ${id}`, async () => {
      stmt(this.ctx.db, 'DELETE FROM access_points WHERE id = ?').run(id);
      this.ctx.changed();
    }, () => this.setState(id, 'error'));
  }

  setTags(id: string, tags: Tag[]): void {
    stmt(this.ctx.db, 'UPDATE access_points SET tags = ? WHERE id = ?').run(JSON.stringify(tags), id);
  }

  all(): AccessPoint[] {
    return this.list('1 = 1 ORDER BY seq', []);
  }

  private setState(id: string, state: LifeCycleState): void {
    stmt(this.ctx.db, 'UPDATE access_points SET state = ? WHERE id = ?').run(state, id);
  }

  private list(where: string, params: Array<string | number>): AccessPoint[] {
    return (stmt(this.ctx.db, `SELECT * FROM access_points WHERE ${where}`).all(...params) as ApRow[]).map(fromRow);
  }
}
