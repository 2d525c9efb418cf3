// `fathom backup create|restore [--wait]`: backups that need the running server's volumes go through its FSx
// API (the other `fathom backup` commands in vault.ts work on the data directory). --wait polls until the
// backup is AVAILABLE (or the restored file system is), with a progress bar on a terminal.
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBackupCommand, CreateFileSystemFromBackupCommand, DescribeBackupsCommand, DescribeFileSystemsCommand,
  type Backup, type FileSystem } from '@aws-sdk/client-fsx';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { openClients, withClientOptions, type ApiClients } from '../api-client.ts';
import { print, type OutputFormat } from '../output.ts';
import { action } from '../run-action.ts';

const POLL_MS = 500;

/** The SDK marks some members required; a reply may still lack them. */
type BackupView = Partial<Backup>;

const backupTable = (b: BackupView) => () => ({ headers: ['BACKUP', 'FILE SYSTEM', 'TYPE', 'LIFECYCLE', 'PROGRESS'],
  rows: [[b.BackupId ?? '', b.FileSystem?.FileSystemId ?? '', b.Type ?? '', b.Lifecycle ?? '', `${b.ProgressPercent ?? 0}%`]] });
const fsTable = (f: FileSystem) => () => ({ headers: ['ID', 'TYPE', 'STATE', 'CAPACITY'],
  rows: [[f.FileSystemId ?? '', f.FileSystemType ?? '', f.Lifecycle ?? '', `${f.StorageCapacity ?? 0} GiB`]] });

/** Adds the API-backed subcommands to `fathom backup` (created by the vault commands, or here if absent). */
export function registerBackupApiCommands(program: Command): void {
  const backup = program.commands.find((c) => c.name() === 'backup') ?? program.command('backup').description('backups');

  withClientOptions(backup.command('create <file-system-id>').description('back up an FSx file system through the running server'))
    .option('--name <name>', 'Name tag')
    .option('--wait', 'wait until the backup is AVAILABLE', false)
    .action(action(async ([fsId], opts) => {
      const c = openClients(opts);
      const tags = typeof opts.name === 'string' ? [{ Key: 'Name', Value: opts.name }] : undefined;
      let b: BackupView = (await c.fsx.send(new CreateBackupCommand({ FileSystemId: fsId, Tags: tags }))).Backup ?? {};
      if (opts.wait === true) b = await waitForBackup(c, b.BackupId ?? '', opts.output);
      print(opts.output, b, backupTable(b));
      if (b.Lifecycle === 'FAILED') process.exitCode = 1;
    }));

  withClientOptions(backup.command('restore <backup-id>').description('create a new FSx file system from a backup (data hydrates lazily)'))
    .option('--subnet <id>', 'subnet (default: the region\'s first subnet)')
    .option('--capacity <gib>', 'storage capacity in GiB (default: the backup\'s)', (v) => Number(v))
    .option('--wait', 'wait until the file system is AVAILABLE', false)
    .action(action(async ([backupId], opts) => {
      const c = openClients(opts);
      // The backup's subnets belong to its source region; the default follows `fathom fs create`'s.
      const subnet = typeof opts.subnet === 'string' ? opts.subnet : `subnet-${c.region}a`;
      let f = (await c.fsx.send(new CreateFileSystemFromBackupCommand({ BackupId: backupId, SubnetIds: [subnet],
        StorageCapacity: typeof opts.capacity === 'number' ? opts.capacity : undefined }))).FileSystem ?? {};
      if (opts.wait === true) f = await waitForFileSystem(c, f.FileSystemId ?? '');
      print(opts.output, f, fsTable(f));
      if (f.Lifecycle === 'FAILED') process.exitCode = 1;
    }));
}

async function waitForBackup(c: ApiClients, backupId: string, output: OutputFormat): Promise<BackupView> {
  const bar = output === 'table' && process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: `${backupId} [{bar}] {percentage}% {lifecycle}`, stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(100, 0, { lifecycle: '' });
  try {
    for (;;) {
      const b: BackupView = (await c.fsx.send(new DescribeBackupsCommand({ BackupIds: [backupId] }))).Backups?.[0] ?? {};
      bar?.update(b.ProgressPercent ?? 0, { lifecycle: b.Lifecycle ?? '' });
      if (b.Lifecycle === 'AVAILABLE' || b.Lifecycle === 'FAILED') return b;
      await sleep(POLL_MS);
    }
  } finally {
    bar?.stop();
  }
}

async function waitForFileSystem(c: ApiClients, fsId: string): Promise<FileSystem> {
  for (;;) {
    const f = (await c.fsx.send(new DescribeFileSystemsCommand({ FileSystemIds: [fsId] }))).FileSystems?.[0] ?? {};
    if (f.Lifecycle !== 'CREATING') return f;
    await sleep(POLL_MS);
  }
}
