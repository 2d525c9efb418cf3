import fs from 'node:fs';
import path from 'node:path';
import { ACCOUNT_ID_PATTERN, newAccountId } from './key-format.ts';

export const ACCOUNT_ID_FILE = 'account-id';

/**
 * The data directory's account id: created once, then read back, so ARNs stay stable across restarts.
 * It is not a secret; it lives in `DATA_DIR/account-id` (one line, 12 digits).
 */
export function loadOrCreateAccountId(dataDir: string): string {
  const file = path.join(dataDir, ACCOUNT_ID_FILE);
  const existing = readAccountId(file);
  if (existing !== undefined) return existing;
  fs.mkdirSync(dataDir, { recursive: true });
  const id = newAccountId();
  try {
    // 'wx' so two processes starting at once agree on the first writer's id.
    fs.writeFileSync(file, id + '\n', { flag: 'wx', mode: 0o644 });
    return id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readAccountIdOrThrow(file);
  }
}

function readAccountId(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  return readAccountIdOrThrow(file);
}

function readAccountIdOrThrow(file: string): string {
  const id = fs.readFileSync(file, 'utf8').trim();
  if (!ACCOUNT_ID_PATTERN.test(id)) throw new Error(`${file}: expected a 12-digit account id, found ${JSON.stringify(id)}`);
  return id;
}
