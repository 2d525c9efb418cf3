import fs from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import Database from 'better-sqlite3';
import { loadOrCreateAccountId } from '../credentials/account-id.ts';
import { newAccessKeyId, newSecretAccessKey } from '../credentials/key-format.ts';
import { IamError } from '../iam-error.ts';
import { parsePolicyDocument } from '../policy/validate-policy.ts';
import type { Policy } from '../policy/policy-types.ts';
import { applySchema } from './iam-schema.ts';
import { checkPolicyName, checkUserName, userArn } from './iam-names.ts';
import type { AccessKeyInfo, AccessKeyStatus, ActiveKey, IamUser, NewAccessKey } from './iam-types.ts';

export const IAM_DB_FILE = 'iam.db';

/** Generous next to IAM's 2: operators rotate keys per host; a cap still stops runaway scripts. */
export const MAX_KEYS_PER_USER = 10;

interface UserRow { name: string; user_id: string; created_at: string }
interface KeyRow { access_key_id: string; user_name: string; status: AccessKeyStatus; created_at: string }

/**
 * Users, their access keys and inline policies in DATA_DIR/iam.db (SQLite, WAL). Every call reads
 * the database, so changes made by the CLI in another process apply to the next request.
 */
export class IamStore {
  readonly accountId: string;
  private readonly db: Database.Database;
  private readonly parsed = new Map<string, Policy>();

  private constructor(db: Database.Database, accountId: string) {
    this.db = db;
    this.accountId = accountId;
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

  createUser(userName: string): IamUser {
    checkUserName(userName);
    if (this.findUser(userName)) throw new IamError('EntityAlreadyExists', `User with name ${userName} already exists.`);
    const row: UserRow = { name: userName, user_id: newUserId(), created_at: new Date().toISOString() };
    this.db.prepare('INSERT INTO users (name, user_id, created_at) VALUES (@name, @user_id, @created_at)').run(row);
    return this.toUser(row);
  }

  getUser(userName: string): IamUser {
    const row = this.findUser(userName);
    if (!row) throw new IamError('NoSuchEntity', `The user with name ${userName} cannot be found.`);
    return this.toUser(row);
  }

  listUsers(): IamUser[] {
    const rows = this.db.prepare('SELECT name, user_id, created_at FROM users ORDER BY name').all() as UserRow[];
    return rows.map((r) => this.toUser(r));
  }

  /** Like IAM, refuses while keys or policies remain, unless `force` removes them in the same transaction. */
  deleteUser(userName: string, opts: { force?: boolean } = {}): void {
    const user = this.getUser(userName);
    this.db.transaction(() => {
      const keys = this.listAccessKeys(user.userName).length;
      const policies = this.listUserPolicies(user.userName).length;
      if ((keys > 0 || policies > 0) && !opts.force) {
        throw new IamError(
          'DeleteConflict',
          `Cannot delete user ${user.userName}: it has ${keys} access key(s) and ${policies} policy(ies); delete them first or force.`,
        );
      }
      this.db.prepare('DELETE FROM access_keys WHERE user_name = ?').run(user.userName);
      this.db.prepare('DELETE FROM user_policies WHERE user_name = ?').run(user.userName);
      this.db.prepare('DELETE FROM users WHERE name = ?').run(user.userName);
    })();
  }

  createAccessKey(userName: string): NewAccessKey {
    const user = this.getUser(userName);
    return this.db.transaction(() => {
      if (this.listAccessKeys(user.userName).length >= MAX_KEYS_PER_USER) {
        throw new IamError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`);
      }
      const key: NewAccessKey = {
        accessKeyId: newAccessKeyId(),
        secretAccessKey: newSecretAccessKey(),
        userName: user.userName,
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
  listAccessKeys(userName?: string): AccessKeyInfo[] {
    const owner = userName === undefined ? undefined : this.getUser(userName).userName;
    const sql = 'SELECT access_key_id, user_name, status, created_at FROM access_keys';
    const rows = (
      owner === undefined
        ? this.db.prepare(`${sql} ORDER BY user_name, created_at`).all()
        : this.db.prepare(`${sql} WHERE user_name = ? ORDER BY created_at`).all(owner)
    ) as KeyRow[];
    return rows.map(toKeyInfo);
  }

  setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): void {
    const result = this.db.prepare('UPDATE access_keys SET status = ? WHERE access_key_id = ?').run(status, accessKeyId);
    if (result.changes === 0) throw noSuchKey(accessKeyId);
  }

  deleteAccessKey(accessKeyId: string): void {
    const result = this.db.prepare('DELETE FROM access_keys WHERE access_key_id = ?').run(accessKeyId);
    if (result.changes === 0) throw noSuchKey(accessKeyId);
  }

  /** The owner and secret of an Active key; undefined for unknown and inactive keys alike. */
  findActiveKey(accessKeyId: string): ActiveKey | undefined {
    const row = this.db
      .prepare("SELECT user_name, secret_access_key FROM access_keys WHERE access_key_id = ? AND status = 'Active'")
      .get(accessKeyId) as { user_name: string; secret_access_key: string } | undefined;
    return row && { userName: row.user_name, secretAccessKey: row.secret_access_key };
  }

  /** Validates the document first: a malformed policy is never stored. Replaces a policy of the same name. */
  putUserPolicy(userName: string, policyName: string, document: string): void {
    checkPolicyName(policyName);
    const user = this.getUser(userName);
    parsePolicyDocument(document);
    this.db
      .prepare(
        `INSERT INTO user_policies (user_name, policy_name, document) VALUES (?, ?, ?)
         ON CONFLICT (user_name, policy_name) DO UPDATE SET document = excluded.document`,
      )
      .run(user.userName, policyName, document);
  }

  getUserPolicy(userName: string, policyName: string): string {
    const user = this.getUser(userName);
    const row = this.db
      .prepare('SELECT document FROM user_policies WHERE user_name = ? AND policy_name = ?')
      .get(user.userName, policyName) as { document: string } | undefined;
    if (!row) throw noSuchPolicy(user.userName, policyName);
    return row.document;
  }

  listUserPolicies(userName: string): string[] {
    const user = this.getUser(userName);
    const rows = this.db
      .prepare('SELECT policy_name FROM user_policies WHERE user_name = ? ORDER BY policy_name')
      .all(user.userName) as { policy_name: string }[];
    return rows.map((r) => r.policy_name);
  }

  deleteUserPolicy(userName: string, policyName: string): void {
    const user = this.getUser(userName);
    const result = this.db
      .prepare('DELETE FROM user_policies WHERE user_name = ? AND policy_name = ?')
      .run(user.userName, policyName);
    if (result.changes === 0) throw noSuchPolicy(user.userName, policyName);
  }

  /** Every policy that applies to the user, parsed (parses are cached by document text). */
  policiesFor(userName: string): Policy[] {
    const rows = this.db.prepare('SELECT document FROM user_policies WHERE user_name = ?').all(userName) as {
      document: string;
    }[];
    return rows.map((r) => this.parse(r.document));
  }

  private parse(document: string): Policy {
    let policy = this.parsed.get(document);
    if (!policy) {
      policy = parsePolicyDocument(document);
      if (this.parsed.size > 1000) this.parsed.clear();
      this.parsed.set(document, policy);
    }
    return policy;
  }

  private findUser(userName: string): UserRow | undefined {
    return this.db.prepare('SELECT name, user_id, created_at FROM users WHERE name = ?').get(userName) as
      | UserRow
      | undefined;
  }

  private toUser(row: UserRow): IamUser {
    return { userName: row.name, userId: row.user_id, arn: userArn(this.accountId, row.name), createDate: row.created_at };
  }
}

function toKeyInfo(row: KeyRow): AccessKeyInfo {
  return { accessKeyId: row.access_key_id, userName: row.user_name, status: row.status, createDate: row.created_at };
}

/** IAM user ids look like `AIDA` + 17 upper-case characters. */
function newUserId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = 'AIDA';
  for (let i = 0; i < 17; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

function noSuchKey(accessKeyId: string): IamError {
  return new IamError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
}

function noSuchPolicy(userName: string, policyName: string): IamError {
  return new IamError('NoSuchEntity', `The user policy with name ${policyName} cannot be found for user ${userName}.`);
}
