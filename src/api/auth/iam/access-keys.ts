import type Database from 'better-sqlite3';
import { newAccessKeyId, newSecretAccessKey } from '../credentials/key-format.ts';
import { IamError } from '../iam-error.ts';
import type { AccessKeyInfo, AccessKeyStatus, ActiveKey, NewAccessKey } from './iam-types.ts';
import type { IamUsers } from './users.ts';

/** Generous next to IAM's 2: operators rotate keys per host; a cap still stops runaway scripts. */
export const MAX_KEYS_PER_USER = 10;

interface KeyRow { access_key_id: string; user_name: string; status: AccessKeyStatus; created_at: string }

/** Long-term access keys of IAM users (the root key lives in the data directory, not here). */
export class AccessKeys {
  constructor(
    private readonly db: Database.Database,
    private readonly users: IamUsers,
  ) {}

  create(userName: string): NewAccessKey {
    const owner = this.users.get(userName).userName;
    return this.db.transaction(() => {
      const { n } = this.db.prepare('SELECT count(*) AS n FROM access_keys WHERE user_name = ?').get(owner) as { n: number };
      if (n >= MAX_KEYS_PER_USER) {
        throw new IamError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`);
      }
      const key: NewAccessKey = {
        accessKeyId: newAccessKeyId(),
        secretAccessKey: newSecretAccessKey(),
        userName: owner,
        status: 'Active',
        createDate: new Date().toISOString(),
      };
      this.db
        .prepare('INSERT INTO access_keys VALUES (@accessKeyId, @userName, @secretAccessKey, @status, @createDate)')
        .run(key);
      return key;
    })();
  }

  /** Keys of one user, or of every user when `userName` is omitted; never their secrets. */
  list(userName?: string): AccessKeyInfo[] {
    const owner = userName === undefined ? undefined : this.users.get(userName).userName;
    const sql = 'SELECT access_key_id, user_name, status, created_at FROM access_keys';
    const rows = (
      owner === undefined
        ? this.db.prepare(`${sql} ORDER BY user_name, created_at`).all()
        : this.db.prepare(`${sql} WHERE user_name = ? ORDER BY created_at`).all(owner)
    ) as KeyRow[];
    return rows.map((r) => ({ accessKeyId: r.access_key_id, userName: r.user_name, status: r.status, createDate: r.created_at }));
  }

  setStatus(accessKeyId: string, status: AccessKeyStatus): void {
    const result = this.db.prepare('UPDATE access_keys SET status = ? WHERE access_key_id = ?').run(status, accessKeyId);
    if (result.changes === 0) throw noSuchKey(accessKeyId);
  }

  delete(accessKeyId: string): void {
    const result = this.db.prepare('DELETE FROM access_keys WHERE access_key_id = ?').run(accessKeyId);
    if (result.changes === 0) throw noSuchKey(accessKeyId);
  }

  /** The owner and secret of an Active key; undefined for unknown and inactive keys alike. */
  findActive(accessKeyId: string): ActiveKey | undefined {
    const row = this.db
      .prepare("SELECT user_name, secret_access_key FROM access_keys WHERE access_key_id = ? AND status = 'Active'")
      .get(accessKeyId) as { user_name: string; secret_access_key: string } | undefined;
    return row && { userName: row.user_name, secretAccessKey: row.secret_access_key };
  }
}

function noSuchKey(accessKeyId: string): IamError {
  return new IamError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
}
