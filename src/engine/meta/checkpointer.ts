// WAL checkpoints off the event loop. A checkpoint writes the log's pages into the database file and fsyncs it:
// milliseconds during which, on the main thread, no NFS request would be served. One worker thread serves every
// open volume of the process; it runs while at least one volume uses it and never keeps the process alive.
import { Worker } from 'node:worker_threads';

/** The messages of checkpoint-worker.cjs. */
type CheckpointRequest = { id: number; op: 'checkpoint' | 'close'; path: string };
type CheckpointReply = { id: number; error?: string };

class CheckpointThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private dead?: Error;
  users = 0;

  constructor() {
    // Plain JavaScript: no loader to start in the thread (the process's own --import flags are not passed on).
    this.worker = new Worker(new URL('./checkpoint-worker.cjs', import.meta.url), { execArgv: [] });
    this.worker.on('message', (r: CheckpointReply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (r.error === undefined) w?.resolve();
      else w?.reject(new Error(`WAL checkpoint failed: ${r.error}`));
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => this.failAll(new Error('checkpoint thread exited')));
    // After the listeners: adding a 'message' listener references the worker again.
    this.worker.unref();
  }

  request(op: CheckpointRequest['op'], path: string): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Referenced while a reply is awaited, so that awaiting it keeps the process alive.
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, path } satisfies CheckpointRequest);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(e: Error): void {
    this.dead ??= e;
    if (thread === this) thread = undefined;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}

let thread: CheckpointThread | undefined;

/** Checkpoints of one database, run on the shared thread; the caller runs at most one at a time. */
export class Checkpointer {
  private readonly thread: CheckpointThread;
  private closed = false;

  constructor(private readonly path: string) {
    thread ??= new CheckpointThread();
    this.thread = thread;
    this.thread.users++;
  }

  /** A PASSIVE checkpoint of what is committed now. */
  async checkpoint(): Promise<void> {
    if (this.closed) throw new Error('checkpointer is closed');
    await this.thread.request('checkpoint', this.path);
  }

  /** The caller has no checkpoint running. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.thread.request('close', this.path).catch(() => undefined);
    if (--this.thread.users === 0) {
      if (thread === this.thread) thread = undefined;
      await this.thread.stop();
    }
  }
}
