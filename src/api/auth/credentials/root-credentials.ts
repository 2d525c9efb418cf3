import fs from 'node:fs';
import path from 'node:path';
import type { AccessKeyPair } from '../principal.ts';
import { newAccessKeyId, newSecretAccessKey } from './key-format.ts';

export const ROOT_CREDENTIALS_FILE = 'root-credentials';

export interface RootCredentials extends AccessKeyPair {
  /** True only on the start that generated and wrote the key, so `serve` prints it exactly once. */
  created: boolean;
}

/**
 * The root key comes from FATHOM_ROOT_ACCESS_KEY_ID/FATHOM_ROOT_SECRET_ACCESS_KEY when both are set
 * (nothing written), else from DATA_DIR/root-credentials, else it is generated and written there (0600).
 */
export function loadOrCreateRootCredentials(dataDir: string, env: NodeJS.ProcessEnv): RootCredentials {
  const fromEnv = rootCredentialsFromEnv(env);
  if (fromEnv) return { ...fromEnv, created: false };
  const file = path.join(dataDir, ROOT_CREDENTIALS_FILE);
  if (fs.existsSync(file)) return { ...readCredentialsFile(file), created: false };
  const pair = { accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() };
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, formatCredentialsFile(pair), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { ...readCredentialsFile(file), created: false }; // another process won the race
  }
  return { ...pair, created: true };
}

function rootCredentialsFromEnv(env: NodeJS.ProcessEnv): AccessKeyPair | undefined {
  const accessKeyId = env.FATHOM_ROOT_ACCESS_KEY_ID;
  const secretAccessKey = env.FATHOM_ROOT_SECRET_ACCESS_KEY;
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('set both FATHOM_ROOT_ACCESS_KEY_ID and FATHOM_ROOT_SECRET_ACCESS_KEY, or neither');
  }
  return { accessKeyId, secretAccessKey };
}

/** The same INI shape as ~/.aws/credentials, so AWS_SHARED_CREDENTIALS_FILE can point at it. */
export function formatCredentialsFile(pair: AccessKeyPair): string {
  return [
    '# Fathom root credentials. Keep this file secret (mode 0600).',
    '# Use with: AWS_SHARED_CREDENTIALS_FILE=<this file> aws --endpoint-url ... (profile "default")',
    '[default]',
    `aws_access_key_id = ${pair.accessKeyId}`,
    `aws_secret_access_key = ${pair.secretAccessKey}`,
    '',
  ].join('\n');
}

/** Reads the first profile's key pair; comments (# or ;) and other keys are ignored. */
export function readCredentialsFile(file: string): AccessKeyPair {
  const values = new Map<string, string>();
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      if (values.size > 0) break;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  const accessKeyId = values.get('aws_access_key_id');
  const secretAccessKey = values.get('aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(`${file}: expected aws_access_key_id and aws_secret_access_key`);
  }
  return { accessKeyId, secretAccessKey };
}
