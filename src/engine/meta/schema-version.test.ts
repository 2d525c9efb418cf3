// A volume written by a build with another metadata layout is refused at open with a clear error, never misread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openVolume, isFsError } from '../index.ts';
import { SCHEMA_VERSION } from './schema.ts';

test('a volume of another schema version is refused with EINVAL naming both versions', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-schema-'));
  try {
    const v = await openVolume({ dir, id: 'fs-000000000000000bb', create: true });
    await v.close();
    const db = new Database(path.join(dir, 'meta.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    db.close();
    await assert.rejects(openVolume({ dir, id: 'fs-000000000000000bb', create: false }), (e: unknown) => {
      assert.ok(isFsError(e, 'EINVAL'), `EINVAL expected, got ${String(e)}`);
      assert.match((e as Error).message, new RegExp(`schema ${SCHEMA_VERSION - 1} is not supported \\(expected ${SCHEMA_VERSION}\\)`));
      return true;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
