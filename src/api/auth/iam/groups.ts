import type Database from 'better-sqlite3';
import { IamError } from '../iam-error.ts';
import { checkGroupName, groupArn, newUniqueId } from './iam-names.ts';
import type { IamGroup } from './iam-types.ts';
import type { IamUsers } from './users.ts';

interface GroupRow { name: string; group_id: string; created_at: string }

/** IAM groups: a user gets the inline policies of every group it belongs to. */
export class IamGroups {
  constructor(
    private readonly db: Database.Database,
    private readonly accountId: string,
    private readonly users: IamUsers,
  ) {}

  create(groupName: string): IamGroup {
    checkGroupName(groupName);
    if (this.find(groupName)) throw new IamError('EntityAlreadyExists', `Group with name ${groupName} already exists.`);
    const row: GroupRow = { name: groupName, group_id: newUniqueId('AGPA'), created_at: new Date().toISOString() };
    this.db.prepare('INSERT INTO groups (name, group_id, created_at) VALUES (@name, @group_id, @created_at)').run(row);
    return this.toGroup(row);
  }

  get(groupName: string): IamGroup {
    const row = this.find(groupName);
    if (!row) throw new IamError('NoSuchEntity', `The group with name ${groupName} cannot be found.`);
    return this.toGroup(row);
  }

  list(): IamGroup[] {
    const rows = this.db.prepare('SELECT name, group_id, created_at FROM groups ORDER BY name').all() as GroupRow[];
    return rows.map((r) => this.toGroup(r));
  }

  /** Like IAM, refuses while members or policies remain, unless `force` removes them too. */
  delete(groupName: string, opts: { force?: boolean } = {}): void {
    const name = this.get(groupName).groupName;
    this.db.transaction(() => {
      const members = this.members(name).length;
      const { n: policies } = this.db.prepare('SELECT count(*) AS n FROM group_policies WHERE group_name = ?').get(name) as { n: number };
      if (members + policies > 0 && !opts.force) {
        throw new IamError('DeleteConflict', `Cannot delete group ${name}: it has ${members} member(s) and ${policies} inline policy(ies); remove them first or force.`);
      }
      this.db.prepare('DELETE FROM group_members WHERE group_name = ?').run(name);
      this.db.prepare('DELETE FROM group_policies WHERE group_name = ?').run(name);
      this.db.prepare('DELETE FROM groups WHERE name = ?').run(name);
    })();
  }

  addUser(groupName: string, userName: string): void {
    const group = this.get(groupName).groupName;
    const user = this.users.get(userName).userName;
    this.db.prepare('INSERT OR IGNORE INTO group_members (group_name, user_name) VALUES (?, ?)').run(group, user);
  }

  removeUser(groupName: string, userName: string): void {
    const group = this.get(groupName).groupName;
    const user = this.users.get(userName).userName;
    const result = this.db.prepare('DELETE FROM group_members WHERE group_name = ? AND user_name = ?').run(group, user);
    if (result.changes === 0) throw new IamError('NoSuchEntity', `User ${user} is not a member of group ${group}.`);
  }

  members(groupName: string): string[] {
    const group = this.get(groupName).groupName;
    const rows = this.db.prepare('SELECT user_name FROM group_members WHERE group_name = ? ORDER BY user_name').all(group) as { user_name: string }[];
    return rows.map((r) => r.user_name);
  }

  groupsOf(userName: string): string[] {
    const user = this.users.get(userName).userName;
    const rows = this.db.prepare('SELECT group_name FROM group_members WHERE user_name = ? ORDER BY group_name').all(user) as { group_name: string }[];
    return rows.map((r) => r.group_name);
  }

  private find(groupName: string): GroupRow | undefined {
    return this.db.prepare('SELECT name, group_id, created_at FROM groups WHERE name = ?').get(groupName) as GroupRow | undefined;
  }

  private toGroup(row: GroupRow): IamGroup {
    return { groupName: row.name, groupId: row.group_id, arn: groupArn(this.accountId, row.name), createDate: row.created_at };
  }
}
