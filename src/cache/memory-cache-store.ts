import type { CacheStats, CacheStore } from './cache-store.interface';

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/**
 * In-process {@link CacheStore}: least-recently-used eviction at `maxEntries`, so memory is bounded, and a TTL on
 * every entry. Values are kept as given (not copied). Private to one process: with several instances, use Redis.
 */
export class MemoryCacheStore implements CacheStore {
  readonly driver = 'memory' as const;
  // A Map iterates in insertion order; re-inserting on read makes the first key the least recently used.
  private readonly entries = new Map<string, Entry>();
  private readonly counters: CacheStats = { hits: 0, misses: 0, errors: 0 };
  private readonly counterEntries = new Map<
    string,
    { value: number; expiresAt: number }
  >();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Answers in a later turn of the event loop, as a network store does: the requests read in one turn then go
   * through the lookup together. A trick that pays: see BENCHMARKS.md (the in-process cache's pause).
   */
  async getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    await new Promise((resolve) => setImmediate(resolve));
    const now = this.now();
    return keys.map((key) => {
      const entry = this.entries.get(key);
      if (entry) this.entries.delete(key);
      if (!entry || entry.expiresAt <= now) {
        this.counters.misses++;
        return undefined;
      }
      this.entries.set(key, entry);
      this.counters.hits++;
      return entry.value as T;
    });
  }

  async setMany(
    entries: ReadonlyArray<readonly [string, unknown]>,
    ttlSeconds: number,
  ): Promise<void> {
    const expiresAt = this.now() + ttlSeconds * 1000;
    for (const [key, value] of entries) {
      this.entries.delete(key);
      this.entries.set(key, { value, expiresAt });
    }
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  /** Counters live apart from the entries: never evicted by the LRU bound, never removed by `clear`. */
  async increment(
    key: string,
    by: number,
    ttlSeconds: number,
  ): Promise<number> {
    const now = this.now();
    for (const [k, c] of this.counterEntries)
      if (c.expiresAt <= now) this.counterEntries.delete(k);
    const entry = this.counterEntries.get(key);
    const count = (entry?.value ?? 0) + by;
    this.counterEntries.set(key, {
      value: count,
      expiresAt: entry?.expiresAt ?? now + ttlSeconds * 1000,
    });
    return count;
  }

  async clear(): Promise<number> {
    const removed = this.entries.size;
    this.entries.clear();
    return removed;
  }

  status(): 'up' {
    return 'up';
  }

  stats(): CacheStats {
    return { ...this.counters };
  }
}
