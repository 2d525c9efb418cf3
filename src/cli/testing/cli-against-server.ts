// Runs the real `fathom` CLI (a child process) against a throw-away API server started for the test file.
import { execFile } from 'node:child_process';
import { after, before } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../../api/testing/test-server.ts';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Starts a server before the file's tests and closes it after; `fathom(...)` runs the CLI against it. */
export function cliAgainstServer(): { server: () => TestServer; fathom: (...args: string[]) => Promise<CliResult> } {
  let s: TestServer | undefined;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s?.close();
  });
  const server = (): TestServer => {
    if (!s) throw new Error('the test server is not started yet');
    return s;
  };
  const fathom = async (...args: string[]): Promise<CliResult> => {
    // No credentials from the environment: the CLI must find the server's root key in the data directory.
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', FATHOM_ROOT_ACCESS_KEY_ID: '', FATHOM_ROOT_SECRET_ACCESS_KEY: '' };
    try {
      const r = await run(process.execPath, ['--import', 'tsx', main, ...args, '--data-dir', server().dataDir, '--endpoint', server().url],
        { env, timeout: 60_000 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  };
  return { server, fathom };
}
