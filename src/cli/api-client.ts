// The resource commands talk to the running server through its own API (the same path as `aws`), so the
// server stays the only writer of volumes and state transitions. Credentials: AWS_ACCESS_KEY_ID/…,
// else FATHOM_ROOT_ACCESS_KEY_ID/…, else DATA_DIR/root-credentials.
import { join } from 'node:path';
import { EFSClient } from '@aws-sdk/client-efs';
import { FSxClient } from '@aws-sdk/client-fsx';
import { Command, Option } from 'commander';
import { readCredentialsFile, ROOT_CREDENTIALS_FILE } from '../api/auth/credentials/root-credentials.ts';
import { loadConfig } from '../config/config.ts';
import { formatListen } from '../config/listen-address.ts';
import type { OutputFormat } from './output.ts';

export interface ClientOptions {
  dataDir?: string;
  config?: string;
  endpoint?: string;
  region?: string;
  output: OutputFormat;
}

export interface ApiClients {
  efs: EFSClient;
  fsx: FSxClient;
  endpoint: string;
  region: string;
}

/** Options every resource command takes. */
export function withClientOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--data-dir <dir>', 'data directory (for root credentials and defaults)').env('FATHOM_DATA_DIR'))
    .addOption(new Option('--config <file>', 'JSON config file').env('FATHOM_CONFIG'))
    .addOption(new Option('--endpoint <url>', 'API endpoint (default: the configured --api-listen)').env('FATHOM_ENDPOINT'))
    .addOption(new Option('--region <name>', 'region (default: the first configured region)'))
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'));
}

export function openClients(opts: ClientOptions): ApiClients {
  const config = loadConfig({ flags: { dataDir: opts.dataDir, config: opts.config } });
  const endpoint = opts.endpoint ?? `http://${formatListen(config.apiListen)}`;
  const region = opts.region ?? config.regions[0]?.name ?? 'local-1';
  const env = process.env;
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
    : env.FATHOM_ROOT_ACCESS_KEY_ID && env.FATHOM_ROOT_SECRET_ACCESS_KEY
      ? { accessKeyId: env.FATHOM_ROOT_ACCESS_KEY_ID, secretAccessKey: env.FATHOM_ROOT_SECRET_ACCESS_KEY }
      : readCredentialsFile(join(config.dataDir, ROOT_CREDENTIALS_FILE));
  // The SDK's Node-version notice is noise for operators of a local server.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const common = { endpoint, region, credentials, maxAttempts: 1 };
  return { efs: new EFSClient(common), fsx: new FSxClient(common), endpoint, region };
}
