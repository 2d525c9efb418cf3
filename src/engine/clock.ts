import type { Timespec } from './types.ts';

// Wall-clock time with nanosecond resolution: Date.now() anchors a monotonic hrtime offset.
const anchorNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
let lastNs = 0n;

/** The current time; strictly increasing within a process, so consecutive changes get distinct times. */
export function now(): Timespec {
  let ns = anchorNs + process.hrtime.bigint();
  if (ns <= lastNs) ns = lastNs + 1n;
  lastNs = ns;
  return { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
}

export function timespecFromMs(ms: number): Timespec {
  return { sec: Math.floor(ms / 1000), nsec: Math.round((ms % 1000) * 1e6) };
}
