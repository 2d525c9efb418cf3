// Adaptive polling between calls. A client that sends one call at a time (libnfs tools, `ls -l` or `find` on a
// kernel mount, a build reading headers) sends its next call tens of microseconds after our reply. Sleeping in
// epoll_wait for it costs a context switch on our side and a cross-CPU wakeup in the client's send — on a virtual
// machine ~20–30 µs per call, as much as serving a GETATTR (docs/nfs.md). So when the last call in progress has been
// answered, the event loop keeps polling (setImmediate turns: epoll with a zero timeout) for a while. The window
// adapts like Linux's guest halt-polling: it grows while calls arrive soon after the server went idle and falls to
// nothing when they do not, so idle servers and slow or far clients cost no CPU for it.

/** The longest the event loop keeps polling for the next call after the last reply, by default. */
export const DEFAULT_IDLE_POLL_MICROS = 100;

/** The first window after calls start arriving soon after replies; it doubles from there up to the maximum. */
const START_NS = 25_000;

export class IdlePoller {
  private busy = 0;
  private windowNs = 0;
  private idleSince = 0n;
  private pollUntil = 0n;
  private polling = false;

  /** maxNs 0 turns polling off. The clock is for tests. */
  constructor(
    private readonly maxNs: number,
    private readonly clock: () => bigint = process.hrtime.bigint,
  ) {}

  /** How long the server polls now after going idle (ns). */
  get window(): number {
    return this.windowNs;
  }

  /** Whether the event loop is being kept polling right now. */
  get active(): boolean {
    return this.polling;
  }

  /** A call is being served. */
  started(): void {
    if (this.busy++ > 0 || this.idleSince === 0n) return;
    this.adapt(Number(this.clock() - this.idleSince));
    this.idleSince = 0n;
  }

  /** A call has been answered (or dropped). */
  finished(): void {
    if (--this.busy > 0 || this.maxNs === 0) return;
    this.idleSince = this.clock();
    if (this.windowNs === 0) return;
    this.pollUntil = this.idleSince + BigInt(this.windowNs);
    if (!this.polling) {
      this.polling = true;
      setImmediate(this.poll);
    }
  }

  private readonly poll = (): void => {
    if (this.busy === 0 && this.clock() < this.pollUntil) setImmediate(this.poll);
    else this.polling = false;
  };

  /** The next call came `gap` ns after the server went idle. */
  private adapt(gap: number): void {
    if (gap <= this.windowNs) return;
    if (gap <= this.maxNs) this.windowNs = Math.min(this.maxNs, Math.max(START_NS, this.windowNs * 2));
    else this.windowNs = this.windowNs / 2 < START_NS ? 0 : this.windowNs / 2;
  }
}
