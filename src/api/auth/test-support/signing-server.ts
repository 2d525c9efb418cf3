import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { Authenticator } from '../authenticator.ts';
import { AuthError } from '../auth-error.ts';
import type { Principal } from '../principal.ts';

export const TEST_REGIONS = ['local-1', 'local-2'] as const;

/**
 * A loopback HTTP server that only verifies signatures, answering in each service's own error shape
 * (EFS: x-amzn-ErrorType header; FSx: `__type`) so real clients print the error code.
 */
export interface SigningServer {
  endpoint: string;
  auth: Authenticator;
  dataDir: string;
  /** Shifts the server's clock, to test skew with real clients signing at the real time. */
  setSkewMs(ms: number): void;
  /** Principals accepted so far, in order. */
  accepted: Principal[];
  close(): Promise<void>;
}

export async function startSigningServer(env: NodeJS.ProcessEnv = {}): Promise<SigningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-auth-'));
  let skewMs = 0;
  const auth = await Authenticator.open({ dataDir, env, now: () => new Date(Date.now() + skewMs) });
  const accepted: Principal[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const isFsx = req.headers['x-amz-target'] !== undefined;
      const signed = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      auth.verify(signed, isFsx ? 'fsx' : 'elasticfilesystem', TEST_REGIONS).then(
        ({ principal }) => {
          accepted.push(principal);
          res.writeHead(200, { 'content-type': isFsx ? 'application/x-amz-json-1.1' : 'application/json' });
          res.end(JSON.stringify({ FileSystems: [] }));
        },
        (err: unknown) => {
          const e = err instanceof AuthError ? err : new AuthError('InternalFailure', 500, String(err));
          if (isFsx) {
            res.writeHead(e.status, { 'content-type': 'application/x-amz-json-1.1' });
            res.end(JSON.stringify({ __type: e.code, message: e.message }));
          } else {
            res.writeHead(e.status, { 'content-type': 'application/json', 'x-amzn-errortype': e.code });
            res.end(JSON.stringify({ ErrorCode: e.code, Message: e.message }));
          }
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    auth,
    dataDir,
    accepted,
    setSkewMs: (ms) => {
      skewMs = ms;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an `aws` CLI binary with only the given credentials (no profile, no metadata service). */
export function runAws(
  binary: string,
  args: string[],
  creds: { accessKeyId: string; secretAccessKey: string } | undefined,
): Promise<CliResult> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-awscli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...(process.env.PYENV_VERSION ? { PYENV_VERSION: process.env.PYENV_VERSION } : {}),
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_CONFIG_FILE: path.join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
    AWS_PAGER: '',
    ...(creds ? { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey } : {}),
  };
  return new Promise((resolve) => {
    execFile(binary, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      fs.rmSync(home, { recursive: true, force: true });
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
