import { Inject, Injectable } from '@nestjs/common';
import { CACHE_STORE, type CacheStore } from './cache-store.interface';

/** A value a loader produced, and whether it may be stored (a degraded answer is served once, never stored). */
export interface Loaded<T> {
  readonly value: T;
  readonly store: boolean;
}

/** How the values of one kind are kept. */
export interface ReadThroughOptions<T> {
  /** How long a stored value lives. */
  readonly ttlSeconds: number;
  /** The storage form of a value (default: the value itself; it must survive a JSON round trip). */
  readonly encode?: (value: T) => unknown;
  /** The value a stored form holds, or undefined when it has another shape (a miss, never a crash). */
  readonly decode: (stored: unknown) => T | undefined;
  /**
   * Whether a stored value may be served without asking the loader; default always. A value that is not fresh is
   * loaded again, and handed to the loader, which may keep it when it cannot do better.
   */
  readonly isFresh?: (value: T) => boolean;
}

/**
 * Loads the values of `missing` keys (values found stale are in `stale`): one entry per key, or it throws. Every
 * waiter of those keys gets its error.
 */
export type Loader<T> = (
  missing: readonly string[],
  stale: ReadonlyMap<string, T>,
) => Promise<ReadonlyMap<string, Loaded<T>>>;

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Waiters may never come; a rejection nobody awaits must not become an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * The one read-through over the {@link CacheStore} port, with single flight: each key is read from the store, or
 * joins a load of it already in flight in this process, or is loaded (all of a call's missing keys in one loader
 * call) and stored. Used by every cache user (benchmark series, BLS answers).
 *
 * A clear through {@link clear} is never undone by a load that began before it: such a load serves its values but
 * does not store them. (A clear through another instance is not seen here: a write can land after it, at most one
 * load's duration late.)
 */
@Injectable()
export class ReadThroughCache {
  private readonly inflight = new Map<string, Promise<unknown>>();
  /**
   * Decoded values by stored object: the in-process store hands back the same object on every hit, so each entry is
   * decoded once, not on every request (see BENCHMARKS.md).
   */
  private readonly decoded = new WeakMap<object, unknown>();
  private generation = 0;

  constructor(@Inject(CACHE_STORE) private readonly store: CacheStore) {}

  /** The value of every key, in a map by key; rejects with the loader's error for keys it failed to load. */
  async getOrLoadMany<T>(
    keys: readonly string[],
    load: Loader<T>,
    options: ReadThroughOptions<T>,
  ): Promise<Map<string, T>> {
    const values = new Map<string, T>();
    const joined: Array<Promise<void>> = [];
    const mine = new Map<string, Deferred<T>>();
    for (const key of keys) {
      const pending = this.inflight.get(key) as Promise<T> | undefined;
      if (pending) {
        joined.push(pending.then((value) => void values.set(key, value)));
      } else if (!mine.has(key)) {
        const d = deferred<T>();
        mine.set(key, d);
        this.inflight.set(key, d.promise);
      }
    }
    // Handled from the start: a joined load may fail while this call is still busy with its own.
    const others = Promise.all(joined);
    others.catch(() => undefined);

    if (mine.size > 0) {
      const generation = this.generation;
      try {
        const own = [...mine.keys()];
        const found = await this.store.getMany<unknown>(own);
        const missing: string[] = [];
        const stale = new Map<string, T>();
        own.forEach((key, i) => {
          const value = this.decode(found[i], options);
          if (value !== undefined && (options.isFresh?.(value) ?? true)) {
            values.set(key, value);
            mine.get(key)!.resolve(value);
          } else {
            if (value !== undefined) stale.set(key, value);
            missing.push(key);
          }
        });
        if (missing.length > 0) {
          const loaded = await load(missing, stale);
          const writes: Array<[string, unknown]> = [];
          for (const key of missing) {
            const result = loaded.get(key);
            if (!result) throw new Error(`nothing was loaded for ${key}`);
            values.set(key, result.value);
            mine.get(key)!.resolve(result.value);
            if (result.store)
              writes.push([
                key,
                options.encode ? options.encode(result.value) : result.value,
              ]);
          }
          if (this.generation === generation && writes.length > 0)
            await this.store.setMany(writes, options.ttlSeconds);
        }
      } catch (error) {
        for (const d of mine.values()) d.reject(error);
        throw error;
      } finally {
        for (const [key, d] of mine)
          if (this.inflight.get(key) === d.promise) this.inflight.delete(key);
      }
    }
    await others;
    return values;
  }

  /** Clears the store (see CacheStore.clear); loads in flight will not store what they loaded before it. */
  clear(): Promise<number> {
    this.generation++;
    return this.store.clear();
  }

  private decode<T>(
    stored: unknown,
    options: ReadThroughOptions<T>,
  ): T | undefined {
    if (typeof stored !== 'object' || stored === null)
      return stored === undefined ? undefined : options.decode(stored);
    if (this.decoded.has(stored)) return this.decoded.get(stored) as T;
    const value = options.decode(stored);
    if (value !== undefined) this.decoded.set(stored, value);
    return value;
  }
}
