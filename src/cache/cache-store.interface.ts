/** Injection token of the shared {@link CacheStore}. */
export const CACHE_STORE = Symbol('CACHE_STORE');

/** Lookups and failures since start: hits and misses per key looked up, errors per failed store operation. */
export interface CacheStats {
  hits: number;
  misses: number;
  errors: number;
}

/**
 * A key-value store of JSON values with a time to live, shared by every module that caches. Keys are relative:
 * the store puts its own prefix in front. Values must survive a JSON round trip; callers treat them as immutable.
 *
 * Failure behaviour: reads and writes never throw. A store that cannot answer (Redis down or slow) counts an error
 * and reports misses, so callers fall back to the data source: the cache is fail-open. Only `clear` throws
 * ({@link CacheUnavailableError}), because an operator must know when nothing was cleared.
 */
export interface CacheStore {
  readonly driver: 'memory' | 'redis';
  /** The value for each key, in order; undefined where absent, expired, unreadable or the store is unavailable. */
  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>>;
  /** Stores every entry for `ttlSeconds` seconds. Best effort: a failure is counted, not thrown. */
  setMany<T>(
    entries: ReadonlyArray<readonly [string, T]>,
    ttlSeconds: number,
  ): Promise<void>;
  /**
   * Adds `by` to the integer counter at `key` (created at 0, expiring `ttlSeconds` after creation) and returns the
   * new count, or undefined when the store cannot answer. Shared by every instance on Redis.
   * Counters are kept apart from cache entries: `clear` does not remove them and the in-process LRU bound does
   * not evict them.
   */
  increment(
    key: string,
    by: number,
    ttlSeconds: number,
  ): Promise<number | undefined>;
  /** Removes every entry of this service (its prefix only); returns how many were removed. */
  clear(): Promise<number>;
  /** Whether the store can answer now. The in-process store is always up. */
  status(): 'up' | 'down';
  stats(): CacheStats;
}

/** The store cannot do what was asked (clearing while Redis is unreachable). */
export class CacheUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CacheUnavailableError';
  }
}

/** Version of the stored format. Bump it when a cached value's shape changes, so old entries are never read. */
export const CACHE_FORMAT_VERSION = 'v3';

/** A relative cache key under the format version: `v1:part:part:...`. */
export function cacheKey(...parts: ReadonlyArray<string | number>): string {
  return `${CACHE_FORMAT_VERSION}:${parts.join(':')}`;
}
