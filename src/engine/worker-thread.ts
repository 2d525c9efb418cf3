// A worker thread answering numbered jobs, for the engine's off-event-loop work (block hashing and reads,
// SQLite checkpoints). Replies resolve their job in any order; a reply with `error` rejects it (with the error's
// `code`). The thread is referenced only while a reply is awaited, so it never keeps a process alive otherwise;
// when it dies, waiting and later jobs are rejected.
import { Worker } from 'node:worker_threads';

type Reply<R> = { id: number; error?: { code?: string; message: string } } & R;

export class WorkerThread<Job extends object, Result extends object> {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  dead?: Error;

  constructor(script: URL, name: string) {
    // Plain JavaScript: no loader to start in the thread (the process's own --import flags are not passed on).
    this.worker = new Worker(script, { execArgv: [] });
    this.worker.on('message', (r: Reply<Result>) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (!w) return;
      if (r.error) w.reject(Object.assign(new Error(r.error.message), { code: r.error.code }));
      else w.resolve(r);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => this.fail(new Error(`${name} exited`)));
    // After the listeners: adding a 'message' listener references the worker again.
    this.worker.unref();
  }

  /** Jobs waiting for their reply. */
  get load(): number {
    return this.waiting.size;
  }

  run(job: Job): Promise<Result> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Referenced while a reply is awaited, so that awaiting it keeps the process alive.
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...job });
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
