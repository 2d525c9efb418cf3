/** Caps buffered (not yet flushed) write data across every volume of a server; writers wait past it. */
export class WriteBudget {
  private used = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(readonly limitBytes = 256 * 1024 * 1024) {}

  get bytesInUse(): number {
    return this.used;
  }

  /** Resolves once `bytes` fit under the cap (a single request larger than the cap waits for an empty budget). */
  async acquire(bytes: number): Promise<void> {
    while (this.used > 0 && this.used + bytes > this.limitBytes) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.used += bytes;
  }

  release(bytes: number): void {
    this.used -= bytes;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
