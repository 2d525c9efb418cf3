// Runs the real `aws` CLI (v2 at /usr/bin/aws, v1 on PATH) against a test server. Asynchronous, so the
// in-process server keeps answering while the CLI waits.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const AWS_CLIS = [
  { name: 'aws v2', bin: '/usr/bin/aws' },
  { name: 'aws v1', bin: 'aws' },
] as const;

export interface AwsResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export async function aws(bin: string, server: { url: string; credentials: { accessKeyId: string; secretAccessKey: string } },
  args: string[], region = 'local-1'): Promise<AwsResult> {
  const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey, AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1', AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  const all = ['--endpoint-url', server.url, '--region', region, '--output', 'json', ...args];
  try {
    const r = await run(bin, all, { env, timeout: 30_000 });
    return result(0, r.stdout, r.stderr);
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return result(typeof err.code === 'number' ? err.code : 1, err.stdout ?? '', err.stderr ?? '');
  }
}

function result(code: number, stdout: string, stderr: string): AwsResult {
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}
