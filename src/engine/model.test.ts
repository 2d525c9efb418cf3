// Randomized model-based test of the engine: long seeded op sequences checked against an in-memory model.
// FATHOM_SEED=S replays one seed, FATHOM_SEEDS=N runs seeds 1..N, FATHOM_OPS=K sets the ops per seed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runModelTest } from './model/model-run.ts';

const CI_SEED = 20261124;

function seeds(): number[] {
  if (process.env.FATHOM_SEED) return [Number(process.env.FATHOM_SEED)];
  const n = Number(process.env.FATHOM_SEEDS ?? 0);
  return n > 0 ? Array.from({ length: n }, (_, i) => i + 1) : [CI_SEED];
}

const ops = Number(process.env.FATHOM_OPS ?? 2000);

for (const seed of seeds()) {
  // A hung engine call must fail the run, not hang it: generous, scaled with the op count.
  test(`engine matches the model for ${ops} random ops (seed ${seed})`, { timeout: 60_000 + ops * 100 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fathom-model-'));
    try {
      await runModelTest({ dir, seed, ops });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
