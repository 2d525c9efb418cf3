import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadOrCreateAccountId } from '../credentials/account-id.ts';
import { AccessKeys } from './access-keys.ts';
import { IamGroups } from './groups.ts';
import { applySchema } from './iam-schema.ts';
import { InlinePolicies } from './inline-policies.ts';
import { IamUsers } from './users.ts';

export const IAM_DB_FILE = 'iam.db';

/**
 * Users, access keys, groups and inline policies in DATA_DIR/iam.db (SQLite, WAL). Every call reads
 * the database, so changes made by the CLI in another process apply to the server's next request.
 */
export class IamStore {
  readonly accountId: string;
  readonly users: IamUsers;
  readonly keys: AccessKeys;
  readonly groups: IamGroups;
  readonly policies: InlinePolicies;
  private readonly db: Database.Database;

  private constructor(db: Database.Database, accountId: string) {
    this.db = db;
    this.accountId = accountId;
    this.users = new IamUsers(db, accountId);
    this.keys = new AccessKeys(db, this.users);
    this.groups = new IamGroups(db, accountId, this.users);
    this.policies = new InlinePolicies(db, this.users, this.groups);
  }

  static open(dataDir: string): IamStore {
    fs.mkdirSync(dataDir, { recursive: true });
    const accountId = loadOrCreateAccountId(dataDir);
    const file = path.join(dataDir, IAM_DB_FILE);
    const db = new Database(file);
    fs.chmodSync(file, 0o600); // it holds secret keys
    applySchema(db);
    return new IamStore(db, accountId);
  }

  close(): void {
    this.db.close();
  }
}
