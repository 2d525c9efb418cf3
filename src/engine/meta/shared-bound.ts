// One bound for the entries of many caches (the read caches of every volume a process has open).

/**
 * Entries of the read caches of every store in the process under one bound (oldest out first): what directory
 * listings and extent maps may hold does not grow with the number of volumes a server has open.
 */
export class SharedBound<V> {
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private used = 0;
  /** Total weight of the entries held (never above maxWeight). */
  get weight(): number {
    return this.used;
  }
  constructor(private readonly maxWeight: number) {}
  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }
  /** Every entry weighs at least 1, so that no number of entries is free. */
  set(key: string, value: V, weight: number): void {
    weight = Math.max(1, weight);
    this.delete(key);
    if (weight > this.maxWeight) return;
    while (this.used + weight > this.maxWeight) this.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, weight });
    this.used += weight;
  }
  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.used -= e.weight;
    this.entries.delete(key);
  }
  deleteStartingWith(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.delete(key);
  }
}
