// The crash test's durability log, shared by the child (writer) and the parent (checker). The child appends
// a record before each risky step (intent) and after each step the engine acknowledged as durable; the
// parent replays the log against what survived the SIGKILL.
import crypto from 'node:crypto';
import fs from 'node:fs';

export type CrashRecord =
  /** Intent: write `i` is about to be issued (its bytes are seededBytes(seed, len), sha256 h). */
  | { t: 'w'; i: number; f: number; off: number; len: number; seed: number; h: string }
  /** Write i was FILE_SYNC/DATA_SYNC and resolved. */
  | { t: 'd'; i: number }
  /** commit() (or commit(file f)) resolved: every write <= upto (to f) is durable. */
  | { t: 'c'; upto: number; f?: number }
  | { t: 'snap-start'; name: string; upto: number }
  | { t: 'snap'; name: string; id: string; upto: number }
  | { t: 'sdel-start'; id: string }
  | { t: 'sdel'; id: string }
  /** A scratch file was created, filled and committed. */
  | { t: 'tmp'; name: string }
  | { t: 'unlink-start'; name: string }
  | { t: 'unlink'; name: string };

/** Records that claim durability are fsync'd; intents need only reach the kernel (SIGKILL keeps the page cache). */
const DURABLE = new Set<CrashRecord['t']>(['d', 'c', 'snap', 'sdel', 'tmp', 'unlink']);

export class CrashLogWriter {
  private readonly fd: number;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'a');
  }
  append(rec: CrashRecord): void {
    fs.writeSync(this.fd, JSON.stringify(rec) + '\n');
    if (DURABLE.has(rec.t)) fs.fsyncSync(this.fd);
  }
}

/** Parses a log; a torn last line (killed mid-append) is ignored. */
export function readCrashLog(file: string): CrashRecord[] {
  if (!fs.existsSync(file)) return [];
  const out: CrashRecord[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as CrashRecord);
    } catch {
      break;
    }
  }
  return out;
}

export const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

export const CRASH_FILES = ['f0', 'f1', 'f2', 'f3'];
export const CRASH_VOLUME_ID = 'fs-0000000000000c0de';
