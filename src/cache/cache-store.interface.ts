/** Injection token of the shared {@link CacheStore}. */
export const CACHE_STORE = Symbol('CACHE_STORE');

/**
 * A key-value store of JSON-serialisable values with a time to live, shared by every module that caches.
 * Keys are full keys: callers build them with {@link cacheKey}.
 */
export interface CacheStore {
  readonly driver: 'memory' | 'redis';
  /** The value, or undefined when absent or expired. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` for `ttlSeconds` seconds. */
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  /** Removes every entry this store holds; returns how many were removed. */
  clear(): Promise<number>;
}

/** Version of the stored format. Bump it when a cached value's shape changes, so old entries are never read. */
export const CACHE_FORMAT_VERSION = 'v1';

/** A cache key under the format version: `v1:part:part:...`. */
export function cacheKey(...parts: ReadonlyArray<string | number>): string {
  return [CACHE_FORMAT_VERSION, ...parts].join(':');
}
