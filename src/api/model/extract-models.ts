// Regenerates efs.json / fsx.json beside this file from botocore's public service models (Apache-2.0),
// keeping only what the server uses: operations with HTTP bindings and errors, and shapes with their
// constraints (no documentation). Run: node --import tsx src/api/model/extract-models.ts BOTOCORE_DATA_DIR
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;
const KEEP_SHAPE = ['type', 'members', 'required', 'pattern', 'min', 'max', 'enum', 'member', 'key', 'value',
  'error', 'exception', 'flattened', 'timestampFormat'];
const KEEP_MEMBER = ['shape', 'location', 'locationName', 'idempotencyToken'];

function pick(obj: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));
}

function readModel(path: string): Json {
  const raw = existsSync(path) ? readFileSync(path) : gunzipSync(readFileSync(`${path}.gz`));
  return JSON.parse(raw.toString('utf8')) as Json;
}

function trim(model: Json): Json {
  const shapes = model.shapes as Record<string, Json>;
  const outShapes: Record<string, Json> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const s = pick(shape, KEEP_SHAPE);
    if (s.members) {
      s.members = Object.fromEntries(Object.entries(s.members as Record<string, Json>).map(([m, v]) => [m, pick(v, KEEP_MEMBER)]));
    }
    outShapes[name] = s;
  }
  const ops = model.operations as Record<string, Json>;
  const outOps = Object.fromEntries(Object.entries(ops).map(([n, o]) => [n, pick(o, ['http', 'input', 'output', 'errors'])]));
  return { metadata: model.metadata, operations: outOps, shapes: outShapes };
}

const dataDir = process.argv[2] ?? '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore/data';
const here = dirname(fileURLToPath(import.meta.url));
for (const [svc, version] of [['efs', '2015-02-01'], ['fsx', '2018-03-01']] as const) {
  const model = trim(readModel(join(dataDir, svc, version, 'service-2.json')));
  writeFileSync(join(here, `${svc}.json`), JSON.stringify(model) + '\n');
}
