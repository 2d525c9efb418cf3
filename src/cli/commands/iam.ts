import fs from 'node:fs';
import { Command, Option } from 'commander';
import { formatTable } from '../output.ts';
import { IamError, IamStore, type AccessKeyInfo, type IamGroup, type IamUser, type PolicyOwner } from '../../api/auth/index.ts';

/**
 * `fathom iam user|key|group|policy …`: manage IAM users, access keys, groups and inline policies directly in the
 * data directory (SQLite WAL, so it works while `fathom serve` runs; changes apply to the next request).
 */
export function registerIamCommands(program: Command): void {
  const iam = program.command('iam').description('manage IAM users, access keys and identity policies');
  registerUserCommands(iam.command('user').description('IAM users'));
  registerKeyCommands(iam.command('key').description('access keys of IAM users'));
  registerPolicyCommands(iam.command('policy').description('inline identity policies of IAM users and groups'));
  registerGroupCommands(iam.command('group').description('IAM groups (members get the group\'s policies)'));
}

interface CommonOptions {
  dataDir: string;
  output: 'table' | 'json';
}

/** What a leaf command produces: JSON in AWS IAM's response shapes, or a table / a line for humans. */
interface Result {
  json?: unknown;
  table?: { headers: string[]; rows: string[][] };
  text?: string;
}

type Handler = (store: IamStore, args: string[], opts: Record<string, unknown>) => Result;

/** Adds the options every IAM command shares, and runs `handler` with the store open. */
function leaf(parent: Command, spec: string, description: string, handler: Handler): Command {
  return parent
    .command(spec)
    .description(description)
    .addOption(new Option('--data-dir <dir>', 'data directory').env('FATHOM_DATA_DIR').default('./data'))
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const opts = cmd.opts<CommonOptions & Record<string, unknown>>();
      const args = params.slice(0, -2).filter((p): p is string => typeof p === 'string');
      runHandler(cmd, opts, args, handler);
    });
}

function runHandler(cmd: Command, opts: CommonOptions & Record<string, unknown>, args: string[], handler: Handler): void {
  let store: IamStore | undefined;
  try {
    store = IamStore.open(opts.dataDir);
    print(cmd, render(handler(store, args, opts), opts.output));
  } catch (err) {
    if (err instanceof IamError) cmd.error(`error: ${err.code}: ${err.message}`, { exitCode: 1, code: `fathom.iam.${err.code}` });
    if (err instanceof CliInputError) cmd.error(`error: ${err.message}`, { exitCode: 2, code: 'fathom.iam.input' });
    throw err;
  } finally {
    store?.close();
  }
}

class CliInputError extends Error {}

function registerUserCommands(user: Command): void {
  leaf(user, 'create <user-name>', 'create a user', (store, [name]) => userResult(store.users.create(name), 'User'));
  leaf(user, 'list', 'list users', (store) => {
    const users = store.users.list();
    return { json: { Users: users.map(userJson) }, table: usersTable(users) };
  });
  leaf(user, 'delete <user-name>', 'delete a user', (store, [name], opts) => {
    store.users.delete(name, { force: opts.force === true });
    return { text: `Deleted user ${name}.` };
  }).option('--force', 'also delete the user\'s access keys and policies');
}

function registerKeyCommands(key: Command): void {
  leaf(key, 'create <user-name>', 'create an access key for a user (the secret is shown only now)', (store, [name]) => {
    const k = store.keys.create(name);
    const json = { AccessKey: { ...keyJson(k), SecretAccessKey: k.secretAccessKey } };
    return {
      json,
      table: { headers: ['UserName', 'AccessKeyId', 'SecretAccessKey', 'Status'], rows: [[k.userName, k.accessKeyId, k.secretAccessKey, k.status]] },
      text: 'Save the secret access key now: it cannot be shown again.',
    };
  });
  leaf(key, 'list', 'list access keys (of one user with --user)', (store, _args, opts) => {
    const keys = store.keys.list(typeof opts.user === 'string' ? opts.user : undefined);
    return {
      json: { AccessKeyMetadata: keys.map(keyJson) },
      table: { headers: ['UserName', 'AccessKeyId', 'Status', 'CreateDate'], rows: keys.map((k) => [k.userName, k.accessKeyId, k.status, k.createDate]) },
    };
  }).option('--user <user-name>', 'only this user\'s keys');
  leaf(key, 'delete <access-key-id>', 'delete an access key', (store, [id]) => {
    store.keys.delete(id);
    return { text: `Deleted access key ${id}.` };
  });
  leaf(key, 'deactivate <access-key-id>', 'make a key Inactive (requests signed with it are refused)', (store, [id]) => {
    store.keys.setStatus(id, 'Inactive');
    return { text: `Access key ${id} is now Inactive.` };
  });
  leaf(key, 'activate <access-key-id>', 'make a key Active again', (store, [id]) => {
    store.keys.setStatus(id, 'Active');
    return { text: `Access key ${id} is now Active.` };
  });
}

/** Policy commands act on a user, or on a group with `--group`. */
function registerPolicyCommands(policy: Command): void {
  const withOwner = (cmd: Command) => cmd.option('--group', 'the first argument names a group, not a user');
  withOwner(
    leaf(policy, 'put <user-or-group> <policy-name>', 'add or replace an inline policy', (store, [owner, name], opts) => {
      const o = policyOwner(owner, opts);
      store.policies.put(o.owner, name, readDocument(String(opts.document)));
      return { text: `Policy ${name} put on ${o.label}.` };
    }).requiredOption('--document <json>', 'policy document: inline JSON or file://path.json'),
  );
  withOwner(
    leaf(policy, 'get <user-or-group> <policy-name>', 'show a policy document', (store, [owner, name], opts) => {
      const o = policyOwner(owner, opts);
      const document = JSON.parse(store.policies.get(o.owner, name)) as unknown;
      return { json: { [o.jsonKey]: owner, PolicyName: name, PolicyDocument: document }, text: JSON.stringify(document, null, 2) };
    }),
  );
  withOwner(
    leaf(policy, 'list <user-or-group>', "list a user's (or group's) policy names", (store, [owner], opts) => {
      const names = store.policies.list(policyOwner(owner, opts).owner);
      return { json: { PolicyNames: names }, table: { headers: ['PolicyName'], rows: names.map((n) => [n]) } };
    }),
  );
  withOwner(
    leaf(policy, 'delete <user-or-group> <policy-name>', 'delete an inline policy', (store, [owner, name], opts) => {
      const o = policyOwner(owner, opts);
      store.policies.delete(o.owner, name);
      return { text: `Deleted policy ${name} of ${o.label}.` };
    }),
  );
}

function policyOwner(name: string, opts: Record<string, unknown>): { owner: PolicyOwner; label: string; jsonKey: string } {
  return opts.group === true
    ? { owner: { group: name }, label: `group ${name}`, jsonKey: 'GroupName' }
    : { owner: { user: name }, label: `user ${name}`, jsonKey: 'UserName' };
}

function registerGroupCommands(group: Command): void {
  leaf(group, 'create <group-name>', 'create a group', (store, [name]) => {
    const g = store.groups.create(name);
    return { json: { Group: groupJson(g) }, table: groupsTable([g], () => []) };
  });
  leaf(group, 'list', 'list groups and their members', (store) => {
    const groups = store.groups.list();
    const members = (g: IamGroup) => store.groups.members(g.groupName);
    return {
      json: { Groups: groups.map((g) => ({ ...groupJson(g), Members: members(g) })) },
      table: groupsTable(groups, members),
    };
  });
  leaf(group, 'delete <group-name>', 'delete a group', (store, [name], opts) => {
    store.groups.delete(name, { force: opts.force === true });
    return { text: `Deleted group ${name}.` };
  }).option('--force', "also remove the group's members and policies");
  leaf(group, 'add-user <group-name> <user-name>', 'add a user to a group', (store, [name, user]) => {
    store.groups.addUser(name, user);
    return { text: `Added user ${user} to group ${name}.` };
  });
  leaf(group, 'remove-user <group-name> <user-name>', 'remove a user from a group', (store, [name, user]) => {
    store.groups.removeUser(name, user);
    return { text: `Removed user ${user} from group ${name}.` };
  });
}

function groupJson(g: IamGroup): Record<string, string> {
  return { GroupName: g.groupName, GroupId: g.groupId, Arn: g.arn, CreateDate: g.createDate };
}

function groupsTable(groups: IamGroup[], members: (g: IamGroup) => string[]): Result['table'] {
  return {
    headers: ['GroupName', 'GroupId', 'Arn', 'Members'],
    rows: groups.map((g) => [g.groupName, g.groupId, g.arn, members(g).join(',')]),
  };
}

/** `file://path` reads a file (as the aws CLI does); anything else is the document itself. */
function readDocument(value: string): string {
  if (!value.startsWith('file://')) return value;
  const file = value.slice('file://'.length);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliInputError(`cannot read policy document ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function userJson(u: IamUser): Record<string, string> {
  return { UserName: u.userName, UserId: u.userId, Arn: u.arn, CreateDate: u.createDate };
}

function keyJson(k: AccessKeyInfo): Record<string, string> {
  return { UserName: k.userName, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createDate };
}

function userResult(u: IamUser, wrapper: string): Result {
  return { json: { [wrapper]: userJson(u) }, table: usersTable([u]) };
}

function usersTable(users: IamUser[]): Result['table'] {
  return { headers: ['UserName', 'UserId', 'Arn', 'CreateDate'], rows: users.map((u) => [u.userName, u.userId, u.arn, u.createDate]) };
}

function render(result: Result, output: CommonOptions['output']): string {
  if (output === 'json') return result.json === undefined ? '' : JSON.stringify(result.json, null, 2) + '\n';
  const parts = [result.table && formatTable(result.table), result.text];
  return parts.filter((p): p is string => p !== undefined && p !== '').map((p) => p + '\n').join('');
}

function print(cmd: Command, text: string): void {
  let root = cmd;
  while (root.parent) root = root.parent;
  if (text !== '') root.configureOutput().writeOut?.(text);
}
