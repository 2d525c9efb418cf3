/** Caps buffered (not yet flushed) write data across every volume of a server; writers wait past it. */
export class WriteBudget {
  private used = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly pressureHandlers = new Set<() => void>();

  constructor(readonly limitBytes = 256 * 1024 * 1024) {}

  get bytesInUse(): number {
    return this.used;
  }

  /** Called when a writer has to wait: a volume starts flushing its buffered data. */
  onPressure(handler: () => void): () => void {
    this.pressureHandlers.add(handler);
    return () => this.pressureHandlers.delete(handler);
  }

  /** Resolves once `bytes` fit under the cap (a single request larger than the cap waits for an empty budget). */
  async acquire(bytes: number): Promise<void> {
    while (this.used > 0 && this.used + bytes > this.limitBytes) {
      for (const h of this.pressureHandlers) h();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.used += bytes;
  }

  release(bytes: number): void {
    if (bytes <= 0) return;
    this.used -= bytes;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
