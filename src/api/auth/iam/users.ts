import type Database from 'better-sqlite3';
import { IamError } from '../iam-error.ts';
import { checkUserName, newUniqueId, userArn } from './iam-names.ts';
import type { IamUser } from './iam-types.ts';

interface UserRow { name: string; user_id: string; created_at: string }

/** IAM users of the data directory's account. */
export class IamUsers {
  constructor(
    private readonly db: Database.Database,
    private readonly accountId: string,
  ) {}

  create(userName: string): IamUser {
    checkUserName(userName);
    if (this.find(userName)) throw new IamError('EntityAlreadyExists', `User with name ${userName} already exists.`);
    const row: UserRow = { name: userName, user_id: newUniqueId('AIDA'), created_at: new Date().toISOString() };
    this.db.prepare('INSERT INTO users (name, user_id, created_at) VALUES (@name, @user_id, @created_at)').run(row);
    return this.toUser(row);
  }

  /** The user, with the name in its stored case; NoSuchEntity when absent. */
  get(userName: string): IamUser {
    const row = this.find(userName);
    if (!row) throw new IamError('NoSuchEntity', `The user with name ${userName} cannot be found.`);
    return this.toUser(row);
  }

  list(): IamUser[] {
    const rows = this.db.prepare('SELECT name, user_id, created_at FROM users ORDER BY name').all() as UserRow[];
    return rows.map((r) => this.toUser(r));
  }

  /** Like IAM, refuses while keys, policies or group memberships remain, unless `force` removes them too. */
  delete(userName: string, opts: { force?: boolean } = {}): void {
    const name = this.get(userName).userName;
    this.db.transaction(() => {
      const count = (table: string) =>
        (this.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE user_name = ?`).get(name) as { n: number }).n;
      const keys = count('access_keys');
      const policies = count('user_policies');
      const groups = count('group_members');
      if (keys + policies + groups > 0 && !opts.force) {
        throw new IamError(
          'DeleteConflict',
          `Cannot delete user ${name}: it has ${keys} access key(s), ${policies} inline policy(ies) and ${groups} group membership(s); remove them first or force.`,
        );
      }
      for (const table of ['access_keys', 'user_policies', 'group_members']) {
        this.db.prepare(`DELETE FROM ${table} WHERE user_name = ?`).run(name);
      }
      this.db.prepare('DELETE FROM users WHERE name = ?').run(name);
    })();
  }

  private find(userName: string): UserRow | undefined {
    return this.db.prepare('SELECT name, user_id, created_at FROM users WHERE name = ?').get(userName) as UserRow | undefined;
  }

  private toUser(row: UserRow): IamUser {
    return { userName: row.name, userId: row.user_id, arn: userArn(this.accountId, row.name), createDate: row.created_at };
  }
}
