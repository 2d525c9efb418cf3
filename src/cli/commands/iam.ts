import fs from 'node:fs';
import { Command, Option } from 'commander';
import { IamError, IamStore, type AccessKeyInfo, type IamUser } from '../../api/auth/index.ts';

/**
 * `fathom iam user|key|policy …`: manage IAM users, access keys and inline policies directly in the
 * data directory (SQLite WAL, so it works while `fathom serve` runs; changes apply to the next request).
 */
export function registerIamCommands(program: Command): void {
  const iam = program.command('iam').description('manage IAM users, access keys and identity policies');
  registerUserCommands(iam.command('user').description('IAM users'));
  registerKeyCommands(iam.command('key').description('access keys of IAM users'));
  registerPolicyCommands(iam.command('policy').description('inline identity policies of IAM users'));
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
  leaf(user, 'create <user-name>', 'create a user', (store, [name]) => userResult(store.createUser(name), 'User'));
  leaf(user, 'list', 'list users', (store) => {
    const users = store.listUsers();
    return { json: { Users: users.map(userJson) }, table: usersTable(users) };
  });
  leaf(user, 'delete <user-name>', 'delete a user', (store, [name], opts) => {
    store.deleteUser(name, { force: opts.force === true });
    return { text: `Deleted user ${name}.` };
  }).option('--force', 'also delete the user\'s access keys and policies');
}

function registerKeyCommands(key: Command): void {
  leaf(key, 'create <user-name>', 'create an access key for a user (the secret is shown only now)', (store, [name]) => {
    const k = store.createAccessKey(name);
    const json = { AccessKey: { ...keyJson(k), SecretAccessKey: k.secretAccessKey } };
    return {
      json,
      table: { headers: ['UserName', 'AccessKeyId', 'SecretAccessKey', 'Status'], rows: [[k.userName, k.accessKeyId, k.secretAccessKey, k.status]] },
      text: 'Save the secret access key now: it cannot be shown again.',
    };
  });
  leaf(key, 'list', 'list access keys (of one user with --user)', (store, _args, opts) => {
    const keys = store.listAccessKeys(typeof opts.user === 'string' ? opts.user : undefined);
    return {
      json: { AccessKeyMetadata: keys.map(keyJson) },
      table: { headers: ['UserName', 'AccessKeyId', 'Status', 'CreateDate'], rows: keys.map((k) => [k.userName, k.accessKeyId, k.status, k.createDate]) },
    };
  }).option('--user <user-name>', 'only this user\'s keys');
  leaf(key, 'delete <access-key-id>', 'delete an access key', (store, [id]) => {
    store.deleteAccessKey(id);
    return { text: `Deleted access key ${id}.` };
  });
  leaf(key, 'deactivate <access-key-id>', 'make a key Inactive (requests signed with it are refused)', (store, [id]) => {
    store.setAccessKeyStatus(id, 'Inactive');
    return { text: `Access key ${id} is now Inactive.` };
  });
  leaf(key, 'activate <access-key-id>', 'make a key Active again', (store, [id]) => {
    store.setAccessKeyStatus(id, 'Active');
    return { text: `Access key ${id} is now Active.` };
  });
}

function registerPolicyCommands(policy: Command): void {
  leaf(policy, 'put <user-name> <policy-name>', 'add or replace an inline policy', (store, [user, name], opts) => {
    store.putUserPolicy(user, name, readDocument(String(opts.document)));
    return { text: `Policy ${name} put on user ${user}.` };
  }).requiredOption('--document <json>', 'policy document: inline JSON or file://path.json');
  leaf(policy, 'get <user-name> <policy-name>', 'show a policy document', (store, [user, name]) => {
    const document = store.getUserPolicy(user, name);
    return {
      json: { UserName: user, PolicyName: name, PolicyDocument: JSON.parse(document) as unknown },
      text: JSON.stringify(JSON.parse(document), null, 2),
    };
  });
  leaf(policy, 'list <user-name>', 'list a user\'s policy names', (store, [user]) => {
    const names = store.listUserPolicies(user);
    return { json: { PolicyNames: names }, table: { headers: ['PolicyName'], rows: names.map((n) => [n]) } };
  });
  leaf(policy, 'delete <user-name> <policy-name>', 'delete an inline policy', (store, [user, name]) => {
    store.deleteUserPolicy(user, name);
    return { text: `Deleted policy ${name} of user ${user}.` };
  });
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
  const parts = [result.table && formatTable(result.table.headers, result.table.rows), result.text];
  return parts.filter((p): p is string => p !== undefined && p !== '').map((p) => p + '\n').join('');
}

/** Left-aligned columns separated by two spaces; an empty list still shows its headers. */
function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

function print(cmd: Command, text: string): void {
  let root = cmd;
  while (root.parent) root = root.parent;
  if (text !== '') root.configureOutput().writeOut?.(text);
}
