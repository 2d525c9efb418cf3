// `fathom vault verify` and `fathom backup list|describe|delete|copy`: the backup service's own interface,
// acting on the data directory (SQLite WAL records + the region vaults), so it works while `fathom serve`
// runs. `fathom backup delete` may also delete AWS_BACKUP backups, which the FSx API refuses.
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { fsxBackupShape } from '../../backup/backup-description.ts';
import { BackupService } from '../../backup/backup-service.ts';
import { isBackupError } from '../../backup/backup-errors.ts';
import type { BackupRecord, BackupType } from '../../backup/backup-record.ts';
import { LocalVaultStore } from '../../backup/vault/local-store.ts';
import { Vault } from '../../backup/vault/vault.ts';
import { verifyVault, type VerifyProgress, type VerifyReport } from '../../backup/vault/verify.ts';
import { loadConfig, type FathomConfig } from '../../config/config.ts';
import { humanBytes, print, type OutputFormat } from '../output.ts';

interface Opts {
  dataDir?: string;
  config?: string;
  region?: string;
  output: OutputFormat;
}

export function registerVaultCommands(program: Command): void {
  const vault = program.command('vault').description('backup vaults (one content-addressed store per region)');
  common(vault.command('verify').description('read every blob of the vaults, check it against its hash, and report damage'))
    .action(run(verify));

  const backup = program.command('backup').description('backups, through the data directory (the backup service\'s own interface)');
  common(backup.command('list').description('list the backups of a region'))
    .option('--file-system-id <id>', 'only backups of this file system')
    .addOption(new Option('--type <type>', 'only backups of this type').choices(['AUTOMATIC', 'USER_INITIATED', 'AWS_BACKUP']))
    .action(run(list));
  common(backup.command('describe <backup-id>').description('describe one backup')).action(run(describe));
  common(backup.command('delete <backup-id>').description('delete a backup (also AWS_BACKUP ones), then free the data no other backup holds'))
    .action(run(remove));
  common(backup.command('copy <source-backup-id>').description('copy a backup into --region (only blobs its vault lacks); waits with progress'))
    .requiredOption('--source-region <region>', 'region of the source backup')
    .option('--copy-tags', 'copy the source backup\'s tags', false)
    .action(run(copy));
}

function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('--data-dir <dir>', 'data directory').env('FATHOM_DATA_DIR'))
    .addOption(new Option('--config <file>', 'config file').env('FATHOM_CONFIG'))
    .option('--region <region>', 'region (default: the home region; vault verify: every region)')
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'));
}

type Work = (cfg: FathomConfig, args: string[], opts: Opts & Record<string, unknown>) => Promise<void>;

function run(work: Work) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    const args = params.slice(0, -2).filter((p): p is string => typeof p === 'string');
    const opts = cmd.opts<Opts & Record<string, unknown>>();
    try {
      await work(loadConfig({ flags: { dataDir: opts.dataDir, config: opts.config } }), args, opts);
    } catch (e) {
      process.stderr.write(`error: ${isBackupError(e) ? `${e.code}: ` : ''}${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    }
  };
}

async function withService<T>(cfg: FathomConfig, sweepOnOpen: boolean, fn: (svc: BackupService) => Promise<T>): Promise<T> {
  const svc = await BackupService.open({ dataDir: cfg.dataDir, vaults: new Map(cfg.regions.map((r) => [r.name, r.vaultDir])), sweepOnOpen });
  try {
    return await fn(svc);
  } finally {
    await svc.close();
  }
}

const regionOf = (cfg: FathomConfig, opts: Opts): string => opts.region ?? cfg.regions[0].name;

async function verify(cfg: FathomConfig, _args: string[], opts: Opts): Promise<void> {
  const regions = cfg.regions.filter((r) => !opts.region || r.name === opts.region);
  if (regions.length === 0) throw new Error(`unknown region ${opts.region}`);
  const reports: Array<{ region: string } & VerifyReport> = [];
  for (const r of regions) {
    const vault = await Vault.open(await LocalVaultStore.open(r.vaultDir));
    const bar = progressBar(opts.output, `verify ${r.name}`);
    reports.push({ region: r.name, ...(await verifyVault(vault, bar?.update)) });
    bar?.stop();
  }
  print(opts.output, { Vaults: reports }, () => ({
    headers: ['REGION', 'PACKS', 'BLOBS', 'VERIFIED', 'MANIFESTS', 'PROBLEMS'],
    rows: reports.map((v) => [v.region, String(v.packs), String(v.blobs), humanBytes(v.bytesVerified), String(v.manifests), String(v.problems.length)]),
  }));
  const problems = reports.flatMap((v) => v.problems.map((p) => ({ region: v.region, ...p })));
  if (opts.output === 'table') for (const p of problems) process.stdout.write(`PROBLEM ${p.region} ${p.kind} ${p.key}: ${p.detail}\n`);
  if (problems.length > 0) process.exitCode = 1;
}

/** A cli-progress bar on a terminal (none for JSON output or when stderr is not a TTY). */
function progressBar(output: OutputFormat, label: string, unit: 'MiB' | '%' = 'MiB'):
  { update: (p: VerifyProgress) => void; stop: () => void } | undefined {
  if (output !== 'table' || !process.stderr.isTTY) return undefined;
  const format = unit === 'MiB' ? `${label} [{bar}] {percentage}% {value}/{total} MiB` : `${label} [{bar}] {percentage}%`;
  const bar = new cliProgress.SingleBar({ format, stream: process.stderr }, cliProgress.Presets.shades_classic);
  const scale = unit === 'MiB' ? 1048576 : 1;
  let started = false;
  return {
    update: (p) => {
      if (!started) bar.start(Math.ceil(p.bytesTotal / scale), 0);
      started = true;
      bar.update(Math.floor(p.bytesDone / scale));
    },
    stop: () => started && bar.stop(),
  };
}

async function list(cfg: FathomConfig, _args: string[], opts: Opts & Record<string, unknown>): Promise<void> {
  const records = await withService(cfg, false, async (svc) => svc.describeBackups({
    region: regionOf(cfg, opts),
    fileSystemIds: typeof opts.fileSystemId === 'string' ? [opts.fileSystemId] : undefined,
    types: typeof opts.type === 'string' ? [opts.type as BackupType] : undefined,
  }));
  printBackups(opts.output, records);
}

async function describe(cfg: FathomConfig, [id]: string[], opts: Opts): Promise<void> {
  const r = await withService(cfg, false, async (svc) => svc.getBackup(regionOf(cfg, opts), id));
  printBackups(opts.output, [r]);
}

async function remove(cfg: FathomConfig, [id]: string[], opts: Opts): Promise<void> {
  const r = await withService(cfg, false, (svc) => svc.deleteBackup(regionOf(cfg, opts), id, { asBackupService: true }));
  print(opts.output, { BackupId: r.backupId, Lifecycle: 'DELETED' }, () => ({ headers: ['BACKUP', 'LIFECYCLE'], rows: [[r.backupId, 'DELETED']] }));
}

async function copy(cfg: FathomConfig, [id]: string[], opts: Opts & Record<string, unknown>): Promise<void> {
  const region = regionOf(cfg, opts);
  const done = await withService(cfg, false, async (svc) => {
    const started = svc.copyBackup({ region, sourceRegion: String(opts.sourceRegion), sourceBackupId: id, copyTags: opts.copyTags === true });
    const bar = progressBar(opts.output, `copy ${started.backupId}`, '%');
    const timer = setInterval(() => bar?.update({ bytesDone: svc.getBackup(region, started.backupId).progressPercent, bytesTotal: 100 }), 200);
    try {
      return await svc.waitFor(region, started.backupId);
    } finally {
      clearInterval(timer);
      bar?.stop();
    }
  });
  printBackups(opts.output, [done]);
  if (done.lifecycle !== 'AVAILABLE') process.exitCode = 1;
}

function printBackups(output: OutputFormat, records: BackupRecord[]): void {
  print(output, { Backups: records.map((r) => fsxBackupShape(r)) }, () => ({
    headers: ['BACKUP', 'FILE SYSTEM', 'TYPE', 'LIFECYCLE', 'PROGRESS', 'SIZE', 'CREATED', 'SOURCE'],
    rows: records.map((r) => [r.backupId, r.fileSystemId, r.type, r.lifecycle, `${r.progressPercent}%`, humanBytes(r.sizeBytes ?? 0),
      r.createdAt.toISOString(), r.sourceBackupId ? `${r.sourceRegion}/${r.sourceBackupId}` : '']),
  }));
}
