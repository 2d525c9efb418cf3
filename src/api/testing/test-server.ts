// Test harness: a real service, authenticator and API server in a temp data dir, on 127.0.0.1 port 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadConfig, type FathomConfig } from '../../config/config.ts';
import { FathomService } from '../../service/service.ts';
import { Authenticator } from '../auth/index.ts';
import { startApiServer } from '../server.ts';

export interface TestServer {
  url: string;
  dataDir: string;
  config: FathomConfig;
  service: FathomService;
  auth: Authenticator;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

export interface TestServerOptions {
  nfsPort?: number;
  limits?: { accessPointsPerFileSystem?: number };
  logger?: Logger;
  /** Backup knobs, e.g. graceMs: 0 so that a deletion's sweep frees data at once. */
  backup?: { graceMs?: number; now?: () => Date };
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fathom-api-'));
  const config = loadConfig({ flags: { dataDir, apiListen: '127.0.0.1:0', nfsListen: `127.0.0.1:${opts.nfsPort ?? 2049}` }, env: {} });
  const auth = await Authenticator.open({ dataDir, env: {} });
  const service = await FathomService.open({ config, accountId: auth.iam.accountId, limits: opts.limits, logger: opts.logger, backup: opts.backup });
  const api = await startApiServer({ service, auth, host: '127.0.0.1', port: 0 });
  return {
    url: api.url, dataDir, config, service, auth,
    credentials: { accessKeyId: auth.rootCredentials.accessKeyId, secretAccessKey: auth.rootCredentials.secretAccessKey },
    async close() {
      await api.close();
      await service.close();
      await auth.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
