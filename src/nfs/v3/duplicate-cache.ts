// The NFSv3 duplicate request cache (as in knfsd and nfs-ganesha). A client that gets no reply retransmits the same
// call (same xid), often on a new connection after a reconnect; a non-idempotent procedure run twice answers the
// retry wrongly (a CREATE's retry gets EEXIST, a REMOVE's ENOENT, a RENAME's ENOENT). Replies of those procedures
// are kept for a while, keyed by client address, xid, procedure and the start of the arguments (so a reused xid
// with other arguments is a new call); a retry gets the original reply, and a retry of a call still running gets
// none (the client retries again later).
import type { RpcCall, RpcResult } from '../rpc/types.ts';
import { Proc3 } from './constants.ts';

const NON_IDEMPOTENT = new Set<number>([
  Proc3.SETATTR, Proc3.WRITE, Proc3.CREATE, Proc3.MKDIR, Proc3.SYMLINK, Proc3.MKNOD, Proc3.REMOVE, Proc3.RMDIR,
  Proc3.RENAME, Proc3.LINK,
]);
/** Enough of the arguments to tell calls apart: file handle, name or offset, count (not a WRITE's data). */
const ARGS_IN_KEY = 192;

type Entry = { state: 'running' } | { state: 'done'; at: number; reply: RpcResult };

export class DuplicateRequestCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 8192, private readonly ttlMs = 120_000, private readonly now = Date.now) {}

  /** Runs the call once per (client, xid, procedure, arguments); idempotent procedures always run. */
  async run(call: RpcCall, execute: () => Promise<RpcResult>): Promise<RpcResult> {
    if (!NON_IDEMPOTENT.has(call.proc)) return execute();
    const key = `${call.conn.clientAddress}|${call.xid}|${call.proc}|${call.args.peek(ARGS_IN_KEY).toString('base64')}`;
    const seen = this.entries.get(key);
    if (seen?.state === 'running') return { kind: 'drop' };
    if (seen && this.now() - seen.at < this.ttlMs) return seen.reply;
    this.remember(key, { state: 'running' });
    try {
      const reply = await execute();
      this.remember(key, { state: 'done', at: this.now(), reply: settled(reply) });
      return reply;
    } catch (e) {
      this.entries.delete(key);
      throw e;
    }
  }

  private remember(key: string, e: Entry): void {
    this.entries.delete(key); // re-inserted last: the map's order is age
    this.entries.set(key, e);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** A reply that stays valid while cached: its body in one buffer of its own. */
function settled(reply: RpcResult): RpcResult {
  if (reply.kind !== 'success') return reply;
  const body = Buffer.isBuffer(reply.body) ? [reply.body] : reply.body;
  return { kind: 'success', body: Buffer.concat(body) };
}
