// `fathom fs list|create|show|delete`: EFS and FSx file systems through the running server.
import { CreateFileSystemCommand, DeleteFileSystemCommand, DescribeFileSystemsCommand, type FileSystemDescription } from '@aws-sdk/client-efs';
import { CreateFileSystemCommand as FsxCreate, DeleteFileSystemCommand as FsxDelete, DescribeFileSystemsCommand as FsxDescribe,
  type FileSystem as FsxFileSystem } from '@aws-sdk/client-fsx';
import { Command, Option } from 'commander';
import { randomUUID } from 'node:crypto';
import { openClients, withClientOptions, type ApiClients } from '../api-client.ts';
import { humanBytes, print } from '../output.ts';
import { action } from '../run-action.ts';

interface Row { id: string; type: string; state: string; name: string; size: string; mounts: string; created: string }

const efsRow = (f: FileSystemDescription): Row => ({ id: f.FileSystemId ?? '', type: 'EFS', state: f.LifeCycleState ?? '', name: f.Name ?? '',
  size: humanBytes(f.SizeInBytes?.Value ?? 0), mounts: String(f.NumberOfMountTargets ?? 0), created: f.CreationTime?.toISOString() ?? '' });
const fsxRow = (f: FsxFileSystem): Row => ({ id: f.FileSystemId ?? '', type: f.FileSystemType ?? '', state: f.Lifecycle ?? '',
  name: f.Tags?.find((t) => t.Key === 'Name')?.Value ?? '', size: `${f.StorageCapacity ?? 0} GiB`, mounts: (f.SubnetIds ?? []).join(','),
  created: f.CreationTime?.toISOString() ?? '' });

const table = (rows: Row[]) => () => ({ headers: ['ID', 'TYPE', 'STATE', 'NAME', 'SIZE', 'MOUNTS', 'CREATED'],
  rows: rows.map((r) => [r.id, r.type, r.state, r.name, r.size, r.mounts, r.created]) });

export async function listFileSystems(c: ApiClients): Promise<{ efs: FileSystemDescription[]; fsx: FsxFileSystem[] }> {
  const efs: FileSystemDescription[] = [];
  let marker: string | undefined;
  do {
    const page = await c.efs.send(new DescribeFileSystemsCommand({ Marker: marker }));
    efs.push(...(page.FileSystems ?? []));
    marker = page.NextMarker;
  } while (marker);
  const fsx: FsxFileSystem[] = [];
  let token: string | undefined;
  do {
    const page = await c.fsx.send(new FsxDescribe({ NextToken: token }));
    fsx.push(...(page.FileSystems ?? []));
    token = page.NextToken;
  } while (token);
  return { efs, fsx };
}

export function registerFileSystemCommands(program: Command): void {
  const fs = program.command('fs').alias('file-systems').description('file systems (EFS, FSx WINDOWS and LUSTRE)');

  withClientOptions(fs.command('list').description('list file systems of a region')).action(action(async (_args, opts) => {
    const all = await listFileSystems(openClients(opts));
    print(opts.output, all, table([...all.efs.map(efsRow), ...all.fsx.map(fsxRow)]));
  }));

  withClientOptions(fs.command('show <id>').description('describe one file system')).action(action(async ([id], opts) => {
    const c = openClients(opts);
    const f = (await c.efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }))).FileSystems?.[0];
    if (f) print(opts.output, f, table([efsRow(f)]));
  }));

  withClientOptions(fs.command('create').description('create a file system'))
    .addOption(new Option('--type <type>', 'file system type').choices(['efs', 'windows', 'lustre']).default('efs'))
    .option('--name <name>', 'Name tag')
    .option('--token <token>', 'creation token (idempotency); default: random')
    .option('--capacity <gib>', 'FSx storage capacity in GiB', (v) => Number(v))
    .option('--subnet <id>', 'FSx subnet (default: the region\'s first subnet)')
    .action(action(async (_args, opts) => {
      const c = openClients(opts);
      const tags = typeof opts.name === 'string' ? [{ Key: 'Name', Value: opts.name }] : undefined;
      const token = typeof opts.token === 'string' ? opts.token : randomUUID();
      if (opts.type === 'efs') {
        const f = await c.efs.send(new CreateFileSystemCommand({ CreationToken: token, Tags: tags }));
        print(opts.output, f, table([efsRow(f)]));
        return;
      }
      const subnet = typeof opts.subnet === 'string' ? opts.subnet : `subnet-${c.region}a`;
      const windows = opts.type === 'windows';
      const out = await c.fsx.send(new FsxCreate({ ClientRequestToken: token, FileSystemType: windows ? 'WINDOWS' : 'LUSTRE',
        StorageCapacity: typeof opts.capacity === 'number' ? opts.capacity : windows ? 32 : 1200, SubnetIds: [subnet], Tags: tags,
        WindowsConfiguration: windows ? { ThroughputCapacity: 8 } : undefined }));
      if (out.FileSystem) print(opts.output, out.FileSystem, table([fsxRow(out.FileSystem)]));
    }));

  withClientOptions(fs.command('delete <id>').description('delete a file system (EFS: delete its mount targets first)'))
    .action(action(async ([id], opts) => {
      const c = openClients(opts);
      // fs- ids are shared by both APIs: whichever knows the id owns it.
      const isEfs = await c.efs.send(new DescribeFileSystemsCommand({ FileSystemId: id })).then(() => true, (e: Error) => {
        if (e.name === 'FileSystemNotFound') return false;
        throw e;
      });
      if (isEfs) await c.efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
      else await c.fsx.send(new FsxDelete({ FileSystemId: id }));
      print(opts.output, { FileSystemId: id, LifeCycleState: 'deleting' }, () => ({ headers: ['ID', 'STATE'], rows: [[id, 'deleting']] }));
    }));
}
