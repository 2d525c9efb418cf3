// `fathom ap list|create|delete`: access points (forced POSIX identity and root directory).
import { CreateAccessPointCommand, DeleteAccessPointCommand, DescribeAccessPointsCommand, type AccessPointDescription } from '@aws-sdk/client-efs';
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { openClients, withClientOptions } from '../api-client.ts';
import { print } from '../output.ts';
import { action } from '../run-action.ts';

const table = (aps: AccessPointDescription[]) => () => ({
  headers: ['ID', 'FILE SYSTEM', 'STATE', 'UID:GID', 'ROOT', 'NAME'],
  rows: aps.map((a) => [a.AccessPointId ?? '', a.FileSystemId ?? '', a.LifeCycleState ?? '',
    a.PosixUser ? `${a.PosixUser.Uid}:${a.PosixUser.Gid}` : '-', a.RootDirectory?.Path ?? '/', a.Name ?? '']),
});

const int = (v: string) => Number.parseInt(v, 10);

export function registerAccessPointCommands(program: Command): void {
  const ap = program.command('ap').alias('access-points').description('access points');

  withClientOptions(ap.command('list [fileSystemId]').description('list access points (of one file system, or all)')).action(action(async ([fsId], opts) => {
    const c = openClients(opts);
    const all: AccessPointDescription[] = [];
    let token: string | undefined;
    do {
      const page = await c.efs.send(new DescribeAccessPointsCommand({ FileSystemId: fsId, NextToken: token }));
      all.push(...(page.AccessPoints ?? []));
      token = page.NextToken;
    } while (token);
    print(opts.output, all, table(all));
  }));

  withClientOptions(ap.command('create <fileSystemId>').description('create an access point'))
    .option('--uid <uid>', 'POSIX user id every request runs as', int)
    .option('--gid <gid>', 'POSIX group id every request runs as', int)
    .option('--path <path>', 'root directory', '/')
    .option('--owner <uid:gid>', 'owner of the root directory when it is created')
    .option('--permissions <mode>', 'permissions of the root directory when it is created', '0755')
    .option('--name <name>', 'Name tag')
    .action(action(async ([fsId], opts) => {
      const c = openClients(opts);
      const posix = typeof opts.uid === 'number' ? { Uid: opts.uid, Gid: typeof opts.gid === 'number' ? opts.gid : opts.uid } : undefined;
      const [ownerUid, ownerGid] = typeof opts.owner === 'string' ? opts.owner.split(':').map(int) : [undefined, undefined];
      const creationInfo = ownerUid !== undefined ? { OwnerUid: ownerUid, OwnerGid: ownerGid ?? ownerUid, Permissions: String(opts.permissions) } : undefined;
      const a = await c.efs.send(new CreateAccessPointCommand({ ClientToken: randomUUID(), FileSystemId: fsId, PosixUser: posix,
        RootDirectory: { Path: String(opts.path), CreationInfo: creationInfo },
        Tags: typeof opts.name === 'string' ? [{ Key: 'Name', Value: opts.name }] : undefined }));
      print(opts.output, a, table([a]));
    }));

  withClientOptions(ap.command('delete <accessPointId>').description('delete an access point')).action(action(async ([id], opts) => {
    await openClients(opts).efs.send(new DeleteAccessPointCommand({ AccessPointId: id }));
    print(opts.output, { AccessPointId: id, LifeCycleState: 'deleting' }, () => ({ headers: ['ID', 'STATE'], rows: [[id, 'deleting']] }));
  }));
}
