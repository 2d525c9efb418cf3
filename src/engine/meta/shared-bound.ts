// One bound for the entries of many caches (the read caches of every volume a process has open).

interface Entry<V> {
  readonly part: BoundPart<unknown, V>;
  readonly key: unknown;
  readonly value: V;
  readonly weight: number;
}

/**
 * Entries of the read caches of every store in the process under one bound (oldest out first): what directory
 * listings and extent maps may hold does not grow with the number of volumes a server has open. Each cache keeps its
 * entries in a part of its own, under its own keys: inode numbers stay numbers (a lookup by a number is several times
 * cheaper than by a string built per lookup, and every NFS request makes a few).
 */
export class SharedBound<V> {
  /** Every part's entries, oldest first. */
  private readonly order = new Set<Entry<V>>();
  private used = 0;

  constructor(private readonly maxWeight: number) {}

  /** Total weight of the entries held (never above maxWeight). */
  get weight(): number {
    return this.used;
  }

  /** A new cache's part of the bound; onLeave is told of every value that leaves it. */
  part<K>(onLeave?: (value: V) => void): BoundPart<K, V> {
    return new BoundPart<K, V>(this, onLeave);
  }

  /** A new entry, after the oldest ones left to make room; undefined if it weighs more than the whole bound. */
  admit(part: BoundPart<unknown, V>, key: unknown, value: V, weight: number): Entry<V> | undefined {
    if (weight > this.maxWeight) return undefined;
    while (this.used + weight > this.maxWeight) {
      const oldest = this.order.values().next().value as Entry<V>;
      this.remove(oldest);
      oldest.part.evicted(oldest.key);
    }
    const e: Entry<V> = { part, key, value, weight };
    this.order.add(e);
    this.used += weight;
    return e;
  }

  remove(e: Entry<V>): void {
    if (this.order.delete(e)) this.used -= e.weight;
  }

  /** The entry becomes the newest. */
  touch(e: Entry<V>): void {
    if (this.order.delete(e)) this.order.add(e);
  }
}

/** One cache's entries under a shared bound. */
export class BoundPart<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly bound: SharedBound<V>,
    private readonly onLeave?: (value: V) => void,
  ) {}

  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** The weight the entry was stored with. */
  weightOf(key: K): number | undefined {
    return this.entries.get(key)?.weight;
  }

  /** Stored as the newest entry of the bound. Every entry weighs at least 1, so that no number of entries is free. */
  set(key: K, value: V, weight: number): void {
    const held = this.entries.get(key);
    // The same value again only becomes the newest: it never leaves (onLeave would let go of what is still held).
    if (held?.value === value) return this.bound.touch(held);
    this.delete(key);
    const e = this.bound.admit(this as BoundPart<unknown, V>, key, value, Math.max(1, weight));
    if (e) this.entries.set(key, e);
  }

  /** The entry (if any) becomes the most recently used. */
  touch(key: K): void {
    const e = this.entries.get(key);
    if (e) this.bound.touch(e);
  }

  delete(key: K): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bound.remove(e);
    this.onLeave?.(e.value);
  }

  /** Every entry of this part leaves the bound (its cache is closing). */
  clear(): void {
    for (const e of this.entries.values()) {
      this.bound.remove(e);
      this.onLeave?.(e.value);
    }
    this.entries.clear();
  }

  /** The bound let this entry go to make room. */
  evicted(key: unknown): void {
    const e = this.entries.get(key as K);
    if (!e) return;
    this.entries.delete(key as K);
    this.onLeave?.(e.value);
  }
}
