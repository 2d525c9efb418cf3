// WAL checkpoints off the event loop. A checkpoint writes the log's pages into the database file and fsyncs it:
// milliseconds during which, on the main thread, no NFS request would be served. One worker thread
// (checkpoint-worker.cjs) serves every open volume of the process, while at least one volume uses it.
import { WorkerThread } from '../worker-thread.ts';

type CheckpointJob = { op: 'checkpoint' | 'close'; path: string };
type Shared = { thread: WorkerThread<CheckpointJob, object>; users: number };

let shared: Shared | undefined;

/** Checkpoints of one database, run on the shared thread; the caller runs at most one at a time. */
export class Checkpointer {
  private readonly shared: Shared;
  private closed = false;

  constructor(private readonly path: string) {
    if (!shared || shared.thread.dead) {
      shared = { thread: new WorkerThread(new URL('./checkpoint-worker.cjs', import.meta.url), 'checkpoint thread'), users: 0 };
    }
    this.shared = shared;
    this.shared.users++;
  }

  /** A PASSIVE checkpoint of what is committed now. */
  async checkpoint(): Promise<void> {
    if (this.closed) throw new Error('checkpointer is closed');
    await this.shared.thread.run({ op: 'checkpoint', path: this.path });
  }

  /** The caller has no checkpoint running. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.shared.thread.run({ op: 'close', path: this.path }).catch(() => undefined);
    if (--this.shared.users === 0) {
      if (shared === this.shared) shared = undefined;
      await this.shared.thread.stop();
    }
  }
}
