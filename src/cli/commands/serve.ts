// `fathom serve`: engine + service + API + NFS listeners + the backup scheduler, until SIGINT/SIGTERM.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import pino, { type Logger } from 'pino';
import { Authenticator, ROOT_CREDENTIALS_FILE } from '../../api/auth/index.ts';
import { startApiServer, type ApiServer } from '../../api/server.ts';
import { loadConfig, type FathomConfig } from '../../config/config.ts';
import { formatListen, type ListenAddress } from '../../config/listen-address.ts';
import { startNfsServer, type NfsServer } from '../../nfs/server.ts';
import { ServiceExportTable } from '../../service/export-table.ts';
import { FathomService } from '../../service/service.ts';

export interface RunningServer {
  config: FathomConfig;
  api: ApiServer;
  nfs: NfsServer[];
  service: FathomService;
  auth: Authenticator;
  close(): Promise<void>;
}

/** Every distinct NFS listener: the default one and each subnet's. */
function nfsListeners(config: FathomConfig): ListenAddress[] {
  const all = [config.nfsListen, ...config.regions.flatMap((r) => r.subnets.map((s) => s.nfsListen))];
  return all.filter((a, i) => all.findIndex((b) => b.host === a.host && b.port === a.port) === i);
}

export async function startServer(config: FathomConfig, logger: Logger): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true });
  const auth = await Authenticator.open({ dataDir: config.dataDir, logger });
  const service = await FathomService.open({ config, accountId: auth.iam.accountId, logger });
  const exports = new ServiceExportTable(service, config);
  const nfs: NfsServer[] = [];
  try {
    // One NFS server on every listener: one NFSv4 client state (persisted once) and one file handle key.
    const [first, ...more] = nfsListeners(config);
    nfs.push(await startNfsServer({
      host: first.host, port: first.port, moreListeners: more, exports, logger, stateDir: join(config.dataDir, 'nfs-state'),
      idlePollMicros: config.nfsIdlePollMicros,
    }));
    const api = await startApiServer({ service, auth, logger, host: config.apiListen.host, port: config.apiListen.port });
    const scheduler = service.backupScheduler();
    scheduler.start(60_000, (e) => logger.error({ err: e }, 'automatic backup failed'));
    return { config, api, nfs, service, auth, async close() {
      scheduler.stop();
      await api.close();
      await Promise.all(nfs.map((n) => n.close()));
      await service.close();
      await auth.close();
    } };
  } catch (e) {
    await Promise.all(nfs.map((n) => n.close()));
    await service.close();
    await auth.close();
    throw e;
  }
}

function banner(s: RunningServer): string {
  const region = s.config.regions[0]?.name ?? 'local-1';
  const lines = [
    `Fathom is serving data from ${s.config.dataDir}`,
    `  API (EFS + FSx):  ${s.api.url}   regions: ${s.config.regions.map((r) => r.name).join(', ')}`,
    ...s.nfs.flatMap((n) => n.addresses).map((a) => `  NFS (v3, v4.x):   ${formatListen(a)}`),
    `  Try: aws --endpoint-url ${s.api.url} --region ${region} efs describe-file-systems`,
  ];
  const root = s.auth.rootCredentials;
  if (root.created) {
    lines.push('', 'A root access key was created (shown once; also in ' + join(s.config.dataDir, ROOT_CREDENTIALS_FILE) + ', mode 0600):',
      `  AWS_ACCESS_KEY_ID=${root.accessKeyId}`, `  AWS_SECRET_ACCESS_KEY=${root.secretAccessKey}`);
  } else {
    lines.push(`  Credentials: root key ${root.accessKeyId} (AWS_SHARED_CREDENTIALS_FILE=${join(s.config.dataDir, ROOT_CREDENTIALS_FILE)})`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerServeCommand(program: Command): void {
  program.command('serve').description('run the API, the NFS listeners and the background workers')
    .addOption(new Option('--data-dir <dir>', 'data directory (default ./data)').env('FATHOM_DATA_DIR'))
    .addOption(new Option('--api-listen <host:port>', 'API listen address (default 127.0.0.1:8080)').env('FATHOM_API_LISTEN'))
    .addOption(new Option('--nfs-listen <host:port>', 'NFS listen address (default 127.0.0.1:2049)').env('FATHOM_NFS_LISTEN'))
    .addOption(new Option('--nfs-idle-poll <microseconds>', 'poll this long for a client\'s next call after the last reply, 0 = off (default 100)')
      .env('FATHOM_NFS_IDLE_POLL_US'))
    .addOption(new Option('--config <file>', 'JSON config file: regions, zones, subnets, security groups').env('FATHOM_CONFIG'))
    .addOption(new Option('--log-level <level>', 'log level').default('info'))
    .action(async (opts: { dataDir?: string; apiListen?: string; nfsListen?: string; nfsIdlePoll?: string; config?: string; logLevel: string }) => {
      const config = loadConfig({ flags: opts });
      const logger = pino({ level: opts.logLevel }, pino.destination(2));
      const server = await startServer(config, logger);
      process.stdout.write(banner(server));
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        logger.info('shutting down');
        server.close().then(() => process.exit(0), (e: unknown) => {
          logger.error({ err: e }, 'shutdown failed');
          process.exit(1);
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
