import { formatDistanceStrict } from 'date-fns';
import type { Loaded, ReadThroughCache } from '../cache/read-through';

/** Why an upstream's answers are kept copies rather than fresh ones, and when the oldest of them was fetched. */
export interface Staleness {
  /** Epoch ms at which the oldest kept answer served was fetched. */
  readonly fetchedAt: number;
  /** Why the upstream could not be asked (scrubbed of secrets). */
  readonly reason: string;
}

/**
 * An upstream client's answers by key; `stale` is set when some of them are kept copies served because the upstream
 * failed (see {@link readThroughKept}).
 */
export class UpstreamResults<V> extends Map<string, V> {
  stale?: Staleness;
  /**
   * Keys the upstream failed for with no kept copy, and why (only with the `partial` option: without it such a
   * failure is thrown). Absent from the map.
   */
  failed?: Map<string, string>;
}

/** A key the loader could not get from the upstream: the error, for {@link readThroughKept} to judge. */
export interface LoadFailure {
  readonly error: unknown;
}

export function isLoadFailure(value: unknown): value is LoadFailure {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/** What is stored per key: the answer, and when it was fetched. */
interface Dated<T> {
  readonly value: T;
  readonly fetchedAt: number;
  /** Set (never stored) when this is a kept copy served because the upstream failed: why. */
  readonly staleReason?: string;
  /** Set (never stored) when the upstream failed for this key and nothing usable was kept: why. */
  readonly failure?: string;
}

export interface KeptOptions<T> {
  /** How long an answer is served before the upstream is asked again. */
  readonly ttlSeconds: number;
  /** How long it is kept beyond that, to be served when the upstream fails. */
  readonly staleIfErrorSeconds: number;
  /** The answer a stored form holds, or undefined for another shape. */
  readonly decode: (stored: unknown) => T | undefined;
  /** Whether an error is the upstream failing (served from kept copies) rather than a bug (propagated). */
  readonly isUpstreamFailure: (error: unknown) => boolean;
  /** The reason an upstream failure gives, as a warning may show it (no secrets). */
  readonly describe: (error: unknown) => string;
  /** Milliseconds an answer is fresh when it differs from `ttlSeconds` (say, a "not published yet"); else undefined. */
  readonly freshFor?: (value: T) => number | undefined;
  /**
   * Judge each key alone: a key the upstream failed for without a kept copy goes in the results' `failed`, and the
   * others are served (and the loaded ones stored). Without it, any such key throws the failure for all of them.
   */
  readonly partial?: boolean;
  readonly now?: () => number;
}

function datedOf<T>(
  stored: unknown,
  decode: (stored: unknown) => T | undefined,
): Dated<T> | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const entry = stored as Partial<Dated<unknown>>;
  if (typeof entry.fetchedAt !== 'number' || !('value' in entry))
    return undefined;
  const value = decode(entry.value);
  return value === undefined
    ? undefined
    : { value, fetchedAt: entry.fetchedAt };
}

/**
 * Stale-if-error over the read-through cache: answers are fresh for `ttlSeconds` and kept `staleIfErrorSeconds` longer.
 * Keys with no fresh answer are loaded (the loader may fail for all of them by throwing, or for some by giving a
 * {@link LoadFailure}); what loaded is stored. A key the upstream failed for is served from its kept copy (never stored
 * again, so it ages out) and the results say so in `stale`. A key with no copy makes the failure propagate, or with
 * `partial` goes in the results' `failed`: the caller serves its labelled stand-ins, as without a cache. An error
 * that is not the upstream failing (a bug) always propagates.
 */
export async function readThroughKept<T>(
  cache: ReadThroughCache,
  keys: readonly string[],
  load: (
    missing: readonly string[],
  ) => Promise<ReadonlyMap<string, Loaded<T> | LoadFailure>>,
  options: KeptOptions<T>,
): Promise<UpstreamResults<T>> {
  const now = options.now ?? Date.now;
  const freshMs = options.ttlSeconds * 1000;
  const keepMs = (options.ttlSeconds + options.staleIfErrorSeconds) * 1000;
  const entries = await cache.getOrLoadMany<Dated<T>>(
    keys,
    async (missing, kept) => {
      let loaded: ReadonlyMap<string, Loaded<T> | LoadFailure>;
      try {
        loaded = await load(missing);
      } catch (error) {
        loaded = new Map(missing.map((key) => [key, { error }]));
      }
      const fetchedAt = now();
      const out = new Map<string, Loaded<Dated<T>>>();
      for (const key of missing) {
        const result = loaded.get(key);
        if (result === undefined)
          throw new Error(`nothing was loaded for ${key}`);
        if (!isLoadFailure(result)) {
          out.set(key, {
            value: { value: result.value, fetchedAt },
            store: result.store,
          });
          continue;
        }
        if (!options.isUpstreamFailure(result.error)) throw result.error;
        const reason = options.describe(result.error);
        // A copy past the keep window is not served, whatever the store's own expiry did with it.
        const copy = kept.get(key);
        if (copy !== undefined && now() - copy.fetchedAt < keepMs)
          out.set(key, {
            value: { ...copy, staleReason: reason },
            store: false,
          });
        else if (options.partial)
          out.set(key, {
            value: { value: undefined as T, fetchedAt, failure: reason },
            store: false,
          });
        else throw result.error;
      }
      return out;
    },
    {
      ttlSeconds: options.ttlSeconds + options.staleIfErrorSeconds,
      decode: (stored) => datedOf(stored, options.decode),
      isFresh: (entry) =>
        now() - entry.fetchedAt < (options.freshFor?.(entry.value) ?? freshMs),
    },
  );
  const out = new UpstreamResults<T>();
  let stale: Staleness | undefined;
  for (const [key, entry] of entries) {
    if (entry.failure !== undefined) {
      (out.failed ??= new Map()).set(key, entry.failure);
      continue;
    }
    out.set(key, entry.value);
    if (
      entry.staleReason !== undefined &&
      (stale === undefined || entry.fetchedAt < stale.fetchedAt)
    )
      stale = { fetchedAt: entry.fetchedAt, reason: entry.staleReason };
  }
  if (stale) out.stale = stale;
  return out;
}

/**
 * The warning of a series served from kept copies: "BLS is unavailable: HTTP 503; serving the BLS answer fetched
 * 2026-11-30 (3 days ago), kept for such failures".
 */
export function describeStaleness(
  upstream: string,
  stale: Staleness,
  now: number = Date.now(),
): string {
  const fetched = new Date(stale.fetchedAt).toISOString().slice(0, 10);
  const age = formatDistanceStrict(stale.fetchedAt, now);
  return `${stale.reason}; serving the last ${upstream} answer, fetched ${fetched} (${age} ago) and kept for such failures`;
}
