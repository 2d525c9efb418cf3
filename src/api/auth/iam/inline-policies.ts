import type Database from 'better-sqlite3';
import { IamError } from '../iam-error.ts';
import type { Policy } from '../policy/policy-types.ts';
import { parsePolicyDocument } from '../policy/validate-policy.ts';
import type { IamGroups } from './groups.ts';
import { checkPolicyName } from './iam-names.ts';
import type { PolicyOwner } from './iam-types.ts';
import type { IamUsers } from './users.ts';

/** Where one owner kind's policies live; the table and column names are constants, never input. */
interface OwnerTable { table: 'user_policies' | 'group_policies'; column: 'user_name' | 'group_name'; kind: 'user' | 'group'; name: string }

/** Inline identity policies of users and groups; documents are validated before they are stored. */
export class InlinePolicies {
  private readonly parsed = new Map<string, Policy>();

  constructor(
    private readonly db: Database.Database,
    private readonly users: IamUsers,
    private readonly groups: IamGroups,
  ) {}

  /** Adds or replaces the owner's policy `policyName`; a malformed document is never stored. */
  put(owner: PolicyOwner, policyName: string, document: string): void {
    checkPolicyName(policyName);
    const t = this.resolve(owner);
    parsePolicyDocument(document);
    this.db
      .prepare(
        `INSERT INTO ${t.table} (${t.column}, policy_name, document) VALUES (?, ?, ?)
         ON CONFLICT (${t.column}, policy_name) DO UPDATE SET document = excluded.document`,
      )
      .run(t.name, policyName, document);
  }

  get(owner: PolicyOwner, policyName: string): string {
    const t = this.resolve(owner);
    const row = this.db.prepare(`SELECT document FROM ${t.table} WHERE ${t.column} = ? AND policy_name = ?`).get(t.name, policyName) as
      | { document: string }
      | undefined;
    if (!row) throw noSuchPolicy(t, policyName);
    return row.document;
  }

  list(owner: PolicyOwner): string[] {
    const t = this.resolve(owner);
    const rows = this.db.prepare(`SELECT policy_name FROM ${t.table} WHERE ${t.column} = ? ORDER BY policy_name`).all(t.name) as {
      policy_name: string;
    }[];
    return rows.map((r) => r.policy_name);
  }

  delete(owner: PolicyOwner, policyName: string): void {
    const t = this.resolve(owner);
    const result = this.db.prepare(`DELETE FROM ${t.table} WHERE ${t.column} = ? AND policy_name = ?`).run(t.name, policyName);
    if (result.changes === 0) throw noSuchPolicy(t, policyName);
  }

  /** Every policy that applies to the user: its own and its groups' (parses are cached by text). */
  effectiveFor(userName: string): Policy[] {
    const rows = this.db
      .prepare(
        `SELECT document FROM user_policies WHERE user_name = ?
         UNION ALL
         SELECT p.document FROM group_policies p JOIN group_members m ON m.group_name = p.group_name WHERE m.user_name = ?`,
      )
      .all(userName, userName) as { document: string }[];
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

  private resolve(owner: PolicyOwner): OwnerTable {
    return 'user' in owner
      ? { table: 'user_policies', column: 'user_name', kind: 'user', name: this.users.get(owner.user).userName }
      : { table: 'group_policies', column: 'group_name', kind: 'group', name: this.groups.get(owner.group).groupName };
  }
}

function noSuchPolicy(t: OwnerTable, policyName: string): IamError {
  return new IamError('NoSuchEntity', `The ${t.kind} policy with name ${policyName} cannot be found for ${t.kind} ${t.name}.`);
}
