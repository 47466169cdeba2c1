import type { CacheStore } from './cache-store.interface';

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number;
}

/**
 * In-process {@link CacheStore}: least-recently-used eviction at `maxEntries`, so memory is bounded, and a TTL on
 * every entry. Values are kept as given (not copied); callers treat cached values as immutable.
 */
export class MemoryCacheStore implements CacheStore {
  readonly driver = 'memory' as const;
  // A Map iterates in insertion order; re-inserting on read makes the first key the least recently used.
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value as T;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  async clear(): Promise<number> {
    const removed = this.entries.size;
    this.entries.clear();
    return removed;
  }
}
