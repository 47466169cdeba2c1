import { Logger } from '@nestjs/common';
import {
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  isBrokenCircuitError,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { cacheKey } from '../../cache/cache-store.interface';
import type { Loaded, ReadThroughCache } from '../../cache/read-through';
import { readThroughKept, UpstreamResults } from '../stale-if-error';
import { APP_VERSION } from '../../common/app-info';
import type { DailyQuota } from '../daily-quota';
import {
  BlsRefusedError,
  parseBlsResponse,
  type BlsObservation,
  type BlsSeriesResult,
  type BlsSeriesStatus,
} from './bls-response';

export interface BlsClientOptions {
  /** e.g. https://api.bls.gov/publicAPI/v2 (no trailing slash needed). */
  readonly baseUrl: string;
  /** Registration key; without it the unregistered limits apply (25 series, 10 years, 25 requests a day). */
  readonly apiKey?: string;
  /** Per HTTP attempt. */
  readonly timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, network errors, timeouts and non-JSON bodies. */
  readonly maxRetries: number;
  /**
   * Time to live of cached answers per series and year; also how often the latest-year series
   * ({@link BlsClient.fetchLatest}) are asked again.
   */
  readonly cacheTtlSeconds: number;
  /**
   * How long an answer is kept beyond `cacheTtlSeconds`, to be served (the results say so in `stale`) when BLS cannot
   * be asked again (STALE_IF_ERROR_SECONDS). Default 400 days.
   */
  readonly staleIfErrorSeconds?: number;
  /** First retry delay; later ones grow exponentially with jitter. */
  readonly retryBaseDelayMs?: number;
  /** After a failed call (retries exhausted, refused), BLS is left alone this long; default 30 s. */
  readonly coolDownMs?: number;
}

/** Injection token of the {@link BlsClient}: null when DATA_SOURCE does not use BLS. */
export const BLS_CLIENT = Symbol('BLS_CLIENT');

/** BLS's daily request threshold is reached (said by BLS, or by our own count): no more calls today. */
export class BlsQuotaExhaustedError extends Error {
  constructor(detail: string) {
    super(
      `the BLS daily request limit is reached (${detail}); no further BLS calls until tomorrow (UTC)`,
    );
    this.name = 'BlsQuotaExhaustedError';
  }
}

/** BLS could not be used for this request (down, slow, refusing, or answering nonsense), after retries. */
export class BlsUnavailableError extends Error {
  constructor(detail: string) {
    super(`BLS is unavailable: ${detail}`);
    this.name = 'BlsUnavailableError';
  }
}

/** This instance sent 50 requests in the last 10 s: a local refusal, not a sign that BLS is failing. */
class BlsRateLimitedError extends BlsUnavailableError {}

/** Whether an error is BLS failing (served from kept answers, else stand-ins) rather than a bug. */
export function isBlsFailure(error: unknown): boolean {
  return (
    error instanceof BlsQuotaExhaustedError ||
    error instanceof BlsUnavailableError
  );
}

/** The usual fields of an error-like value, whatever realm it comes from. */
function fields(value: unknown): {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
} {
  return typeof value === 'object' && value !== null ? value : {};
}

/** A failure worth retrying: 429, 5xx, network error, timeout, a body that is not a BLS response. */
class BlsTransientError extends Error {
  constructor(
    message: string,
    /** The request never reached BLS (connection refused, DNS failure). */
    readonly notDelivered = false,
  ) {
    super(message);
  }
}

/** What is cached per series and year: the series status and that year's observations. */
interface CachedSeriesYear {
  readonly status: BlsSeriesStatus;
  readonly observations: readonly BlsObservation[];
}

/** What is kept per latest-year series: what BLS last answered (its newest year only), and when it was asked. */
interface CachedLatest extends CachedSeriesYear {
  readonly checkedAt: number;
  /** Set (never stored) on a kept answer served because BLS could not be asked: why. */
  readonly staleReason?: string;
}

const DEFAULT_STALE_IF_ERROR_SECONDS = 400 * 86_400;

function isCachedLatest(value: unknown): value is CachedLatest {
  const entry = value as Partial<CachedLatest> | undefined;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.status === 'string' &&
    Array.isArray(entry.observations) &&
    typeof entry.checkedAt === 'number'
  );
}

/** A cached series-year, or undefined for a value of another shape. */
function seriesYearOf(stored: unknown): CachedSeriesYear | undefined {
  const entry = stored as Partial<CachedSeriesYear> | undefined;
  return typeof entry === 'object' &&
    entry !== null &&
    typeof entry.status === 'string' &&
    Array.isArray(entry.observations)
    ? (entry as CachedSeriesYear)
    : undefined;
}

/** The observations of the newest year among them (all of them share it in the API's one-year series). */
function newestYearOnly(
  observations: readonly BlsObservation[],
): BlsObservation[] {
  if (observations.length === 0) return [];
  const newest = Math.max(...observations.map((o) => o.year));
  return observations.filter((o) => o.year === newest);
}

/** An inclusive span of years of one request. */
interface YearSpan {
  readonly start: number;
  readonly end: number;
}

/** BLS allows 50 requests per 10 s; stay under it per instance. */
const RATE_WINDOW_MS = 10_000;
const RATE_LIMIT = 50;
/** How long a request may wait for a slot in the rate window before it gives up. */
const MAX_RATE_WAIT_MS = 2_000;

/**
 * A client of the BLS Public Data API v2 (`POST /timeseries/data/`). It asks only for what the cache lacks (per
 * series and year, 24 h), chunks requests to the API's limits (50 series and 20 years with a key, 25 and 10
 * without), merges answers by series ID, takes every call from the shared daily quota, retries transient failures
 * with exponential backoff and jitter (never quota refusals or invalid series), and keeps the key out of every log
 * line and error message.
 */
export class BlsClient {
  private readonly logger = new Logger('BlsClient');
  private readonly recentCalls: number[] = [];
  private readonly seriesLimit: number;
  private readonly yearLimit: number;
  private readonly url: string;
  private readonly policy: IPolicy;
  /** Longest one call may take, retries and backoff included: two attempt timeouts. */
  private readonly budgetMs: number;
  /** HTTP requests sent to BLS and those that failed (for /metrics). */
  readonly counts = { calls: 0, failures: 0 };
  /** When BLS last answered a request usefully (or the cache held its data); undefined: never in this process. */
  lastSuccessAt?: number;

  constructor(
    private readonly options: BlsClientOptions,
    private readonly cache: ReadThroughCache,
    private readonly quota: DailyQuota,
  ) {
    this.seriesLimit = options.apiKey ? 50 : 25;
    this.yearLimit = options.apiKey ? 20 : 10;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/timeseries/data/`;
    const retryPolicy = retry(
      handleWhen((error) => error instanceof BlsTransientError),
      {
        maxAttempts: options.maxRetries,
        backoff: new ExponentialBackoff({
          initialDelay: options.retryBaseDelayMs ?? 250,
          maxDelay: 2_000,
        }),
      },
    );
    // A call never holds a request longer than the budget, and after a failed call the next requests fall back at
    // once for the cool-down instead of each waiting out the timeouts again. Quota refusals have their own stop.
    this.budgetMs = options.timeoutMs * 2;
    const breaker = circuitBreaker(
      handleWhen(
        (error) =>
          !(error instanceof BlsQuotaExhaustedError) &&
          !(error instanceof BlsRateLimitedError),
      ),
      {
        halfOpenAfter: options.coolDownMs ?? 30_000,
        breaker: new ConsecutiveBreaker(1),
      },
    );
    // Logged once per outage: when the breaker opens, and when a call succeeds again.
    breaker.onBreak((reason) => {
      const error = 'error' in reason ? reason.error : undefined;
      this.logger.warn(
        `BLS calls failing (${this.scrub(error instanceof Error ? error.message : 'unknown reason')}); serving synthetic stand-ins, next try in ${options.coolDownMs ?? 30_000} ms`,
      );
    });
    breaker.onReset(() => this.logger.log('BLS answers again'));
    this.policy = wrap(
      breaker,
      timeout(this.budgetMs, TimeoutStrategy.Aggressive),
      retryPolicy,
    );
  }

  private get staleIfErrorSeconds(): number {
    return this.options.staleIfErrorSeconds ?? DEFAULT_STALE_IF_ERROR_SECONDS;
  }

  /** Whether the client runs without a registration key. */
  get unregistered(): boolean {
    return !this.options.apiKey;
  }

  /** Replaces the key wherever a text might carry it (BLS error messages can echo it). */
  scrub(text: string): string {
    const key = this.options.apiKey;
    return key ? text.split(key).join('<redacted>') : text;
  }

  /**
   * Observations of each series between two years (inclusive), from the cache where it has them. When BLS is needed
   * and cannot answer, the answers kept from before (up to `staleIfErrorSeconds` past their TTL) are served, and the
   * results say so in `stale`; without a kept answer for every series-year, it throws
   * {@link BlsQuotaExhaustedError} or {@link BlsUnavailableError}.
   */
  async fetchSeries(
    ids: readonly string[],
    startYear: number,
    endYear: number,
  ): Promise<UpstreamResults<BlsSeriesResult>> {
    const years: number[] = [];
    for (let y = startYear; y <= endYear; y++) years.push(y);
    const pairs = new Map<string, { id: string; year: number }>();
    for (const id of ids)
      for (const year of years)
        pairs.set(cacheKey('bls', id, year), { id, year });
    const entries = await readThroughKept<CachedSeriesYear>(
      this.cache,
      [...pairs.keys()],
      async (missing) => {
        const wanted = missing.map((key) => pairs.get(key)!);
        const fetched = await this.fetchFromApi(
          [...new Set(wanted.map((p) => p.id))],
          Math.min(...wanted.map((p) => p.year)),
          Math.max(...wanted.map((p) => p.year)),
        );
        const loaded = new Map<string, Loaded<CachedSeriesYear>>();
        missing.forEach((key, i) => {
          const { id, year } = wanted[i];
          const result = fetched.get(id);
          loaded.set(key, {
            value: {
              status: result?.status ?? 'no_data',
              observations: (result?.observations ?? []).filter(
                (o) => o.year === year,
              ),
            },
            // A series BLS left out of its answer is asked again next time.
            store: result !== undefined,
          });
        });
        return loaded;
      },
      {
        ttlSeconds: this.options.cacheTtlSeconds,
        staleIfErrorSeconds: this.staleIfErrorSeconds,
        decode: seriesYearOf,
        isUpstreamFailure: isBlsFailure,
        describe: (error) => this.scrub((error as Error).message),
      },
    );

    const out = new UpstreamResults<BlsSeriesResult>();
    if (entries.stale) out.stale = entries.stale;
    for (const id of ids) {
      const found = years.map((year) =>
        entries.get(cacheKey('bls', id, year))!,
      );
      const observations = found.flatMap((e) => e.observations);
      const statuses = found.map((e) => e.status);
      const status: BlsSeriesStatus = statuses.includes('invalid')
        ? 'invalid'
        : statuses.includes('not_found')
          ? 'not_found'
          : observations.length > 0
            ? 'ok'
            : 'no_data';
      out.set(id, { status, observations });
    }
    if (!out.stale && [...out.values()].some((r) => r.observations.length > 0))
      this.lastSuccessAt ??= Date.now();
    return out;
  }

  /**
   * The newest year BLS holds of each series, for series the API keeps one year of (OEWS: the latest May
   * estimates). Asked without years, so the year is the one BLS answers with, never one assumed from the calendar.
   * Answers are asked again after `cacheTtlSeconds` but kept `staleIfErrorSeconds` longer: while BLS cannot be asked
   * (down, out of quota) the last answer is served (the results say so in `stale`), and a new release replaces it as
   * soon as BLS is asked. Throws like {@link fetchSeries} only when BLS fails and some series has no kept answer.
   */
  async fetchLatest(
    ids: readonly string[],
  ): Promise<UpstreamResults<BlsSeriesResult>> {
    const keyOf = (id: string) => cacheKey('bls-latest', id);
    const idOf = new Map(ids.map((id) => [keyOf(id), id]));
    const refreshMs = this.options.cacheTtlSeconds * 1000;
    const keepMs =
      (this.options.cacheTtlSeconds + this.staleIfErrorSeconds) * 1000;
    const now = Date.now();
    const entries = await this.cache.getOrLoadMany<CachedLatest>(
      ids.map(keyOf),
      async (due, kept) => {
        const loaded = new Map<string, Loaded<CachedLatest>>();
        let fetched: Map<string, BlsSeriesResult>;
        try {
          fetched = await this.fetchFromApi(due.map((key) => idOf.get(key)!));
        } catch (error) {
          // A copy past the keep window is not served, whatever the store's own expiry did with it.
          const usable = (key: string) => {
            const copy = kept.get(key);
            return copy !== undefined && Date.now() - copy.checkedAt < keepMs;
          };
          if (!isBlsFailure(error) || !due.every(usable)) throw error;
          const staleReason = this.scrub((error as Error).message);
          for (const key of due)
            loaded.set(key, {
              value: { ...kept.get(key)!, staleReason },
              store: false,
            });
          return loaded;
        }
        for (const key of due) {
          const id = idOf.get(key)!;
          const result = fetched.get(id);
          const before = kept.get(key);
          // A release replaces a year, it never leaves none: an answer without any year for a series BLS held is a
          // passing fault ("Database is locked"), and what BLS sent before stays until it sends a year again.
          const keep = result?.status === 'no_data' && before?.status === 'ok';
          if (keep)
            this.logger.warn(
              `BLS answered without any year for ${id}; keeping the ${before.observations[0]?.year} figures it sent before`,
            );
          const value: CachedLatest = keep
            ? { ...before, checkedAt: now }
            : {
                status: result?.status ?? 'no_data',
                observations: newestYearOnly(result?.observations ?? []),
                checkedAt: now,
              };
          loaded.set(key, { value, store: result !== undefined });
        }
        return loaded;
      },
      {
        ttlSeconds: this.options.cacheTtlSeconds + this.staleIfErrorSeconds,
        decode: (stored) => (isCachedLatest(stored) ? stored : undefined),
        isFresh: (entry) => Date.now() - entry.checkedAt < refreshMs,
      },
    );
    const out = new UpstreamResults<BlsSeriesResult>();
    for (const id of ids) {
      const entry = entries.get(keyOf(id))!;
      out.set(id, { status: entry.status, observations: entry.observations });
      if (
        entry.staleReason !== undefined &&
        (out.stale === undefined || entry.checkedAt < out.stale.fetchedAt)
      )
        out.stale = { fetchedAt: entry.checkedAt, reason: entry.staleReason };
    }
    if (!out.stale && [...out.values()].some((r) => r.observations.length > 0))
      this.lastSuccessAt ??= now;
    return out;
  }

  /**
   * Every series over the span, in as many requests as the limits require (newest years first); without a span,
   * over BLS's default window (its latest three years), in as many requests as the series limit requires.
   */
  private async fetchFromApi(
    ids: readonly string[],
    startYear?: number,
    endYear?: number,
  ): Promise<Map<string, BlsSeriesResult>> {
    const merged = new Map<
      string,
      { status: BlsSeriesStatus; observations: BlsObservation[] }
    >();
    const spans: Array<YearSpan | undefined> = [];
    if (startYear === undefined || endYear === undefined) spans.push(undefined);
    else
      for (
        let chunkEnd = endYear;
        chunkEnd >= startYear;
        chunkEnd -= this.yearLimit
      )
        spans.push({
          start: Math.max(startYear, chunkEnd - this.yearLimit + 1),
          end: chunkEnd,
        });
    for (const span of spans) {
      for (let i = 0; i < ids.length; i += this.seriesLimit) {
        const chunk = ids.slice(i, i + this.seriesLimit);
        const answer = await this.request(chunk, span);
        for (const [id, result] of answer) {
          const into = merged.get(id) ?? {
            status: result.status,
            observations: [],
          };
          if (result.status === 'invalid' || result.status === 'not_found')
            into.status = result.status;
          else if (result.status === 'ok' && into.status === 'no_data')
            into.status = 'ok';
          into.observations.push(...result.observations);
          merged.set(id, into);
        }
      }
    }
    return merged;
  }

  /** The JSON body of a data request: the series, the years if any (both or neither), the key if any. */
  private body(ids: readonly string[], span?: YearSpan): string {
    return JSON.stringify({
      seriesid: ids,
      ...(span
        ? { startyear: String(span.start), endyear: String(span.end) }
        : {}),
      ...(this.options.apiKey ? { registrationkey: this.options.apiKey } : {}),
    });
  }

  /** One POST, with quota, rate window, timeout and retries. */
  private async request(
    ids: readonly string[],
    span: YearSpan | undefined,
  ): Promise<ReadonlyMap<string, BlsSeriesResult>> {
    const body = this.body(ids, span);
    try {
      return await this.policy.execute(async ({ signal }) => {
        // Refused for the day already: say so at once. Waiting for a slot of the rate window first would make every
        // request wait (up to MAX_RATE_WAIT_MS) for a refusal, and fill the window with calls never made.
        if (this.quota.exhaustedToday()) {
          throw new BlsQuotaExhaustedError(
            `${this.quota.limit} requests a day (BLS_DAILY_LIMIT)`,
          );
        }
        // The local rate window first: a request refused here never reaches BLS and must not cost quota.
        await this.takeRateSlot();
        if (!(await this.quota.tryAcquire())) {
          throw new BlsQuotaExhaustedError(
            `${this.quota.limit} requests a day (BLS_DAILY_LIMIT)`,
          );
        }
        const text = await this.post(body, signal);
        let parsed;
        try {
          parsed = parseBlsResponse(text, ids);
        } catch (error) {
          if (error instanceof BlsRefusedError)
            throw new BlsUnavailableError(this.scrub(error.message));
          throw new BlsTransientError(this.scrub((error as Error).message));
        }
        if (parsed.quotaExhausted) {
          await this.quota.exhaust();
          throw new BlsQuotaExhaustedError(
            'BLS refused: daily threshold reached',
          );
        }
        if (parsed.yearRangeReduced) {
          // Chunking keeps within the limits, so this means the limits changed or the key is not recognised.
          this.logger.warn(
            `BLS reduced the year range of a ${span ? `${span.start}-${span.end}` : 'default-window'} request: ${this.scrub(parsed.messages.join(' '))}`,
          );
        }
        this.lastSuccessAt = Date.now();
        return parsed.series;
      });
    } catch (error) {
      if (
        error instanceof BlsQuotaExhaustedError ||
        error instanceof BlsUnavailableError
      )
        throw error;
      if (isBrokenCircuitError(error)) {
        throw new BlsUnavailableError(
          'it failed moments ago; BLS is left alone for a short cool-down',
        );
      }
      // cockatiel 3.2.1's isTaskCancelledError() checks the wrong property: use instanceof.
      if (error instanceof TaskCancelledError) {
        throw new BlsUnavailableError(
          `no usable answer within ${this.budgetMs} ms, retries included`,
        );
      }
      throw new BlsUnavailableError(
        this.scrub(error instanceof Error ? error.message : String(error)),
      );
    }
  }

  /**
   * One request for one series over BLS's default window, without retries (a readiness probe): true only when BLS
   * answered with observations of that series, so a success means BLS serves data, not merely that it answered.
   * A connection that never reached BLS does not cost quota.
   */
  async probe(seriesId: string): Promise<boolean> {
    try {
      await this.takeRateSlot();
      if (!(await this.quota.tryAcquire())) return false;
      const text = await this.post(
        this.body([seriesId]),
        AbortSignal.timeout(this.options.timeoutMs),
      );
      const parsed = parseBlsResponse(text, [seriesId]);
      if (parsed.quotaExhausted) {
        await this.quota.exhaust();
        return false;
      }
      if (parsed.series.get(seriesId)?.status !== 'ok') {
        this.logger.warn(
          `BLS answered the readiness probe without data for ${seriesId}: ${this.scrub(parsed.messages.join(' ') || 'no message')}`,
        );
        return false;
      }
      this.lastSuccessAt = Date.now();
      return true;
    } catch {
      return false;
    }
  }

  /** Requests left in today's BLS budget. */
  quotaRemaining(): Promise<number> {
    return this.quota.remaining();
  }

  private async post(body: string, cancelled: AbortSignal): Promise<string> {
    this.counts.calls++;
    try {
      return await this.postOnce(body, cancelled);
    } catch (error) {
      this.counts.failures++;
      // A connection refused or a name not found never reached BLS: it must not cost a request of the quota.
      if (error instanceof BlsTransientError && error.notDelivered)
        await this.quota.refund();
      throw error;
    }
  }

  private async postOnce(
    body: string,
    cancelled: AbortSignal,
  ): Promise<string> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'user-agent': `benchmark-api/${APP_VERSION}`,
        },
        body,
        signal: AbortSignal.any([
          cancelled,
          AbortSignal.timeout(this.options.timeoutMs),
        ]),
      });
    } catch (error) {
      // Read as plain objects: errors from Node's fetch may come from another realm (instanceof Error fails).
      const err = fields(error);
      const cause = fields(err.cause);
      const timedOut =
        err.name === 'TimeoutError' ||
        cause.name === 'TimeoutError' ||
        /due to timeout/.test(String(err.message));
      const reason = timedOut
        ? `no answer within ${this.options.timeoutMs} ms`
        : `network error (${String(cause.message ?? err.message ?? error)})`;
      throw new BlsTransientError(
        reason,
        !timedOut &&
          ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(
            String(cause.code ?? err.code),
          ),
      );
    }
    const text = await response.text().catch(() => '');
    if (response.status === 429 || response.status >= 500) {
      throw new BlsTransientError(`HTTP ${response.status}`);
    }
    if (!response.ok) {
      throw new BlsUnavailableError(
        `HTTP ${response.status} ${this.scrub(text.slice(0, 120))}`,
      );
    }
    return text;
  }

  /** Waits for a slot in the 50-requests-per-10-s window, or gives up (as a transient failure) after 2 s. */
  private async takeRateSlot(): Promise<void> {
    const now = Date.now();
    while (
      this.recentCalls.length > 0 &&
      this.recentCalls[0] <= now - RATE_WINDOW_MS
    )
      this.recentCalls.shift();
    if (this.recentCalls.length >= RATE_LIMIT) {
      const wait = this.recentCalls[0] + RATE_WINDOW_MS - now;
      // Not retried (a retry would only find the window full again): the request falls back instead.
      if (wait > MAX_RATE_WAIT_MS)
        throw new BlsRateLimitedError(
          'over 50 BLS requests in 10 s from this instance',
        );
      await new Promise((r) => setTimeout(r, wait));
    }
    this.recentCalls.push(Date.now());
  }
}
