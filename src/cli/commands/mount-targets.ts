// `fathom mt list|create|delete`: mount targets (a file system becomes mountable on a subnet's NFS listener).
import { CreateMountTargetCommand, DeleteMountTargetCommand, DescribeMountTargetsCommand, type MountTargetDescription } from '@aws-sdk/client-efs';
import type { Command } from 'commander';
import { openClients, withClientOptions } from '../api-client.ts';
import { print } from '../output.ts';
import { action } from '../run-action.ts';

const table = (mts: MountTargetDescription[]) => () => ({
  headers: ['ID', 'FILE SYSTEM', 'STATE', 'SUBNET', 'ZONE', 'IP ADDRESS'],
  rows: mts.map((m) => [m.MountTargetId ?? '', m.FileSystemId ?? '', m.LifeCycleState ?? '', m.SubnetId ?? '', m.AvailabilityZoneName ?? '', m.IpAddress ?? '']),
});

export function registerMountTargetCommands(program: Command): void {
  const mt = program.command('mt').alias('mount-targets').description('mount targets');

  withClientOptions(mt.command('list <fileSystemId>').description('list the mount targets of a file system')).action(action(async ([fsId], opts) => {
    const c = openClients(opts);
    const all: MountTargetDescription[] = [];
    let marker: string | undefined;
    do {
      const page = await c.efs.send(new DescribeMountTargetsCommand({ FileSystemId: fsId, Marker: marker }));
      all.push(...(page.MountTargets ?? []));
      marker = page.NextMarker;
    } while (marker);
    print(opts.output, all, table(all));
  }));

  withClientOptions(mt.command('create <fileSystemId>').description('create a mount target'))
    .option('--subnet <id>', 'subnet (default: the region\'s first subnet)')
    .option('--security-group <id...>', 'security groups (client address ranges come from the config)')
    .action(action(async ([fsId], opts) => {
      const c = openClients(opts);
      const subnet = typeof opts.subnet === 'string' ? opts.subnet : `subnet-${c.region}a`;
      const m = await c.efs.send(new CreateMountTargetCommand({ FileSystemId: fsId, SubnetId: subnet,
        SecurityGroups: Array.isArray(opts.securityGroup) ? (opts.securityGroup as string[]) : undefined }));
      print(opts.output, m, table([m]));
    }));

  withClientOptions(mt.command('delete <mountTargetId>').description('delete a mount target')).action(action(async ([id], opts) => {
    await openClients(opts).efs.send(new DeleteMountTargetCommand({ MountTargetId: id }));
    print(opts.output, { MountTargetId: id, LifeCycleState: 'deleting' }, () => ({ headers: ['ID', 'STATE'], rows: [[id, 'deleting']] }));
  }));
}
