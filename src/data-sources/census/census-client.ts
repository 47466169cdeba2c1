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
import { APP_VERSION } from '../../common/app-info';
import type { DailyQuota } from '../daily-quota';
import {
  readThroughKept,
  type LoadFailure,
  type UpstreamResults,
} from '../stale-if-error';
import {
  DATASETS,
  OR_MORE,
  readRecords,
  requestQuery,
  type CensusDataset,
  type CensusRecord,
  type DatasetRequest,
  type Measure,
} from './census-datasets';
import {
  classifyCensusAnswer,
  unknownPredicateOf,
  unknownVariableOf,
  type CensusOutcome,
} from './census-response';

export interface CensusClientOptions {
  /** e.g. https://api.census.gov/data: requests go to `<baseUrl>/<year>/<dataset>?...`. */
  readonly baseUrl: string;
  /** The API key (the API refuses every data request without one). */
  readonly apiKey: string;
  /** Per HTTP attempt. */
  readonly timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, network errors, timeouts and unreadable bodies. */
  readonly maxRetries: number;
  /** How long an answer is served before Census is asked again. */
  readonly cacheTtlSeconds: number;
  /** How long it is kept beyond that, served (said stale) when Census fails. */
  readonly staleIfErrorSeconds: number;
  /** How long "this vintage is not published" is believed: a new vintage may come out any day. Default 1 day. */
  readonly notPublishedTtlSeconds?: number;
  /** First retry delay; later ones grow exponentially with jitter. Default 500 ms. */
  readonly retryBaseDelayMs?: number;
  /** After a failed call, Census is left alone this long. Default 30 s. */
  readonly coolDownMs?: number;
  /** Requests in flight at once; default 2 (public clients stay at 1 or 2: no rate limit is published). */
  readonly concurrency?: number;
}

/** Injection token of the {@link CensusClient}: null when DATA_SOURCE does not use Census or no key is set. */
export const CENSUS_CLIENT = Symbol('CENSUS_CLIENT');

/** Census could not be used for this request (down, slow, refusing the key, answering nonsense), after retries. */
export class CensusUnavailableError extends Error {
  constructor(detail: string) {
    super(`the Census API is unavailable: ${detail}`);
    this.name = 'CensusUnavailableError';
  }
}

/** The API refused the key (a redirect to its missing- or invalid-key page, or its key-error header): not retried. */
export class CensusKeyError extends CensusUnavailableError {
  constructor(readonly which: 'missing' | 'invalid') {
    super(
      which === 'missing'
        ? 'it asks for an API key (CENSUS_API_KEY was not sent)'
        : 'it refused the API key (CENSUS_API_KEY is invalid or not activated yet)',
    );
    this.name = 'CensusKeyError';
  }
}

/** Our daily budget for Census is used up: no more calls today (UTC). */
export class CensusQuotaExhaustedError extends CensusUnavailableError {
  constructor(limit: number) {
    super(
      `the daily request budget is used up (${limit} requests a day, CENSUS_DAILY_LIMIT)`,
    );
    this.name = 'CensusQuotaExhaustedError';
  }
}

/** The API does not understand a request of ours (HTTP 400): a bug to fix, not an outage; not retried. */
export class CensusRequestError extends CensusUnavailableError {
  constructor(detail: string) {
    super(`it did not understand the request (${detail})`);
    this.name = 'CensusRequestError';
  }
}

/** Whether an error is Census failing (served from kept answers, else stand-ins) rather than a bug of ours. */
export function isCensusFailure(error: unknown): boolean {
  return error instanceof CensusUnavailableError;
}

/** A failure worth retrying: 429, 5xx, network error, timeout, an unreadable body. */
class CensusTransientError extends Error {
  constructor(
    message: string,
    readonly notDelivered = false,
  ) {
    super(message);
  }
}

/** What is cached per dataset, year, NAICS code and geography. */
export interface CensusAnswer {
  /** `ok`: rows; `empty`: the API has no rows for it (204); `not_published`: the vintage is not out (404). */
  readonly status: 'ok' | 'empty' | 'not_published';
  readonly records: readonly CensusRecord[];
  /** Rows that could not be read (unknown size label, repeated class), by reason. */
  readonly skipped: readonly string[];
  /** The NAICS variable the vintage answered to. */
  readonly naicsVariable?: string;
}

/** The cache key of a request's answer. */
export function censusAnswerKey(request: DatasetRequest): string {
  return cacheKey(
    'census',
    request.dataset,
    request.year,
    request.naics,
    request.geo,
  );
}

function isMeasure(value: unknown): value is Measure {
  const m = value as Partial<Measure> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    (m.value === null || typeof m.value === 'number') &&
    (m.flag === null || typeof m.flag === 'string') &&
    (m.noise === null || typeof m.noise === 'string') &&
    (m.rse === null || typeof m.rse === 'number')
  );
}

function isRecord(value: unknown): value is CensusRecord {
  const r = value as Partial<CensusRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.geo === 'string' &&
    typeof r.size === 'object' &&
    r.size !== null &&
    typeof r.size.code === 'string' &&
    typeof r.size.min === 'number' &&
    typeof r.size.max === 'number' &&
    r.size.max <= OR_MORE &&
    isMeasure(r.units) &&
    isMeasure(r.employees) &&
    isMeasure(r.payroll) &&
    (r.receipts === undefined || isMeasure(r.receipts))
  );
}

/** A cached answer, or undefined for a value of another shape. */
export function censusAnswerOf(stored: unknown): CensusAnswer | undefined {
  const a = stored as Partial<CensusAnswer> | null;
  return typeof a === 'object' &&
    a !== null &&
    (a.status === 'ok' ||
      a.status === 'empty' ||
      a.status === 'not_published') &&
    Array.isArray(a.records) &&
    Array.isArray(a.skipped) &&
    a.records.every(isRecord)
    ? (a as CensusAnswer)
    : undefined;
}

/** `work`, or a {@link CensusUnavailableError} once `ms` have passed (`work` goes on; its outcome is not lost). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CensusUnavailableError(
            `no usable answer within ${ms} ms (the answers under way are kept for the next requests)`,
          ),
        ),
      ms,
    );
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * A client of the Census Data API (`GET <base>/<year>/<dataset>?get=...&for=...&key=...`). It asks only for what
 * the cache lacks (per dataset, year, NAICS code and geography), at most `concurrency` requests at once; takes every
 * request from the shared daily quota; retries 429, 5xx, network errors, timeouts and unreadable bodies with
 * exponential backoff and jitter; never follows a redirect (a key problem: one log line, no retry); drops an optional
 * variable a vintage does not know; and keeps the key out of every log line, error and metric.
 */
export class CensusClient {
  private readonly logger = new Logger('CensusClient');
  private readonly base: string;
  private readonly policy: IPolicy;
  private readonly budgetMs: number;
  private readonly dropped = new Map<string, Set<string>>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private keyErrorLogged = false;
  /** HTTP requests sent to Census and those that failed (for /metrics). */
  readonly counts = { calls: 0, failures: 0 };
  /** When Census last answered usefully; undefined: never in this process. */
  lastSuccessAt?: number;

  constructor(
    private readonly options: CensusClientOptions,
    private readonly cache: ReadThroughCache,
    private readonly quota: DailyQuota,
  ) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    const retryPolicy = retry(
      handleWhen((error) => error instanceof CensusTransientError),
      {
        maxAttempts: options.maxRetries,
        backoff: new ExponentialBackoff({
          initialDelay: options.retryBaseDelayMs ?? 500,
          maxDelay: 4_000,
        }),
      },
    );
    this.budgetMs = options.timeoutMs * 2;
    const coolDownMs = options.coolDownMs ?? 30_000;
    const breaker = circuitBreaker(
      handleWhen((error) => !(error instanceof CensusQuotaExhaustedError)),
      { halfOpenAfter: coolDownMs, breaker: new ConsecutiveBreaker(1) },
    );
    breaker.onBreak((reason) => {
      const error = 'error' in reason ? reason.error : undefined;
      if (error instanceof CensusKeyError) return; // said once, by request()
      this.logger.warn(
        `Census calls failing (${this.scrub(error instanceof Error ? error.message : 'unknown reason')}); serving kept answers or synthetic stand-ins, next try in ${coolDownMs} ms`,
      );
    });
    breaker.onReset(() => this.logger.log('Census answers again'));
    this.policy = wrap(
      breaker,
      timeout(this.budgetMs, TimeoutStrategy.Aggressive),
      retryPolicy,
    );
  }

  /** Replaces the key wherever a text might carry it, and any `key=` parameter of a URL. */
  scrub(text: string): string {
    return text
      .split(this.options.apiKey)
      .join('<redacted>')
      .replace(/([?&]key=)[^&\s"']*/gi, '$1<redacted>');
  }

  /**
   * The answer of each request, by {@link censusAnswerKey}, from the cache where it has a fresh one. When Census
   * fails and every answer needed is kept from before, those are served and the results say so in `stale`; else it
   * throws a {@link CensusUnavailableError}.
   */
  async fetchAnswers(
    requests: readonly DatasetRequest[],
  ): Promise<UpstreamResults<CensusAnswer>> {
    const byKey = new Map(requests.map((r) => [censusAnswerKey(r), r]));
    const notPublishedMs =
      (this.options.notPublishedTtlSeconds ?? 86_400) * 1000;
    const errors = new Map<string, Error>();
    const work = readThroughKept<CensusAnswer>(
      this.cache,
      [...byKey.keys()],
      async (missing) => {
        // Each answer on its own: one that fails does not lose the others (they are stored).
        const settled = await Promise.allSettled(
          missing.map((key) =>
            this.limited(() => this.request(byKey.get(key)!)),
          ),
        );
        const loaded = new Map<string, Loaded<CensusAnswer> | LoadFailure>();
        missing.forEach((key, i) => {
          const s = settled[i];
          loaded.set(
            key,
            s.status === 'fulfilled'
              ? { value: s.value, store: true }
              : { error: s.reason as unknown },
          );
          if (s.status === 'rejected' && s.reason instanceof Error)
            errors.set(key, s.reason);
        });
        return loaded;
      },
      {
        ttlSeconds: this.options.cacheTtlSeconds,
        staleIfErrorSeconds: this.options.staleIfErrorSeconds,
        decode: censusAnswerOf,
        isUpstreamFailure: isCensusFailure,
        describe: (error) => this.scrub((error as Error).message),
        // "Not published" is asked again daily: the new vintage replaces it as soon as it is out.
        freshFor: (answer) =>
          answer.status === 'not_published' ? notPublishedMs : undefined,
        partial: true,
      },
    );
    // One call is bounded as one request is (twice CENSUS_TIMEOUT_MS), queue included. Past it the caller serves
    // stand-ins; the requests under way go on, and what they load is stored for the next callers (who join them).
    const results = await withDeadline(work, this.budgetMs);
    // Nothing at all: the failure itself, as one request's (a refused key says so by its class).
    if (results.size === 0 && results.failed) {
      const [key, reason] = results.failed.entries().next().value!;
      throw (
        errors.get(key) ??
        new CensusUnavailableError(
          reason.replace(/^the Census API is unavailable: /, ''),
        )
      );
    }
    if (!results.stale && !results.failed) this.lastSuccessAt ??= Date.now();
    return results;
  }

  /** Requests left in today's Census budget. */
  quotaRemaining(): Promise<number> {
    return this.quota.remaining();
  }

  /**
   * One small request without retries (a readiness probe): true only when Census answered with rows. A refused key
   * says so in the log once, like any request.
   */
  async probe(): Promise<boolean> {
    try {
      const answer = await this.request({
        dataset: 'cbp',
        year: 2022,
        naics: '23',
        geo: 'us',
      });
      return answer.status === 'ok' && answer.records.length > 0;
    } catch {
      return false;
    }
  }

  /** Runs `task` when fewer than `concurrency` are in flight. */
  private async limited<T>(task: () => Promise<T>): Promise<T> {
    const limit = this.options.concurrency ?? 2;
    if (this.active >= limit)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** One answer: the NAICS variables a vintage may use tried in turn, optional variables it does not know dropped. */
  private async request(request: DatasetRequest): Promise<CensusAnswer> {
    const candidates = DATASETS[request.dataset].naicsVariables(request.year);
    const vintage = `${request.year}/${request.dataset}`;
    const dropped = this.dropped.get(vintage) ?? new Set<string>();
    this.dropped.set(vintage, dropped);
    const optional = new Set(DATASETS[request.dataset].optional);
    // Variables this request was refused for: a concurrent request may have dropped one already (then asking again
    // without it is enough), but one refused twice is not an unknown optional variable.
    const refused = new Set<string>();
    for (let c = 0; c < candidates.length; c++) {
      const naicsVariable = candidates[c];
      for (;;) {
        const outcome = await this.send(
          `${this.base}/${vintage}?${requestQuery(request, naicsVariable, dropped)}`,
        );
        if (outcome.kind !== 'request_error')
          return this.answerOf(request.dataset, outcome, naicsVariable);
        const variable = unknownVariableOf(outcome.message);
        if (variable && optional.has(variable) && !refused.has(variable)) {
          refused.add(variable);
          if (!dropped.has(variable))
            this.logger.warn(
              `Census ${vintage} does not know ${variable}: asking without it`,
            );
          dropped.add(variable);
          continue;
        }
        if (
          unknownPredicateOf(outcome.message) === naicsVariable &&
          c < candidates.length - 1
        )
          break;
        throw new CensusRequestError(this.scrub(outcome.message));
      }
    }
    throw new CensusRequestError(
      `no NAICS variable of ${vintage} was accepted`,
    );
  }

  private answerOf(
    dataset: CensusDataset,
    outcome: Exclude<
      CensusOutcome,
      { kind: 'request_error' | 'key_error' | 'transient' }
    >,
    naicsVariable: string,
  ): CensusAnswer {
    if (outcome.kind === 'empty' || outcome.kind === 'not_published')
      return { status: outcome.kind, records: [], skipped: [] };
    const { records, skipped } = readRecords(dataset, outcome.table);
    if (skipped.length > 0)
      this.logger.warn(
        `Census ${dataset}: ${skipped.length} rows not read (${skipped[0].reason}${skipped.length > 1 ? ', ...' : ''})`,
      );
    return {
      status: 'ok',
      records,
      skipped: skipped.map((s) => s.reason),
      naicsVariable,
    };
  }

  /** One GET through quota, breaker, timeout and retries; a key problem is thrown, a 400 returned. */
  private async send(
    url: string,
  ): Promise<Exclude<CensusOutcome, { kind: 'key_error' | 'transient' }>> {
    try {
      const outcome = await this.policy.execute(async ({ signal }) => {
        if (this.quota.exhaustedToday() || !(await this.quota.tryAcquire()))
          throw new CensusQuotaExhaustedError(this.quota.limit);
        const answer = await this.get(url, signal);
        if (answer.kind === 'transient')
          throw new CensusTransientError(answer.message);
        if (answer.kind === 'key_error') throw new CensusKeyError(answer.which);
        return answer;
      });
      this.keyErrorLogged = false;
      if (outcome.kind !== 'request_error') this.lastSuccessAt = Date.now();
      return outcome;
    } catch (error) {
      if (error instanceof CensusKeyError) {
        if (!this.keyErrorLogged)
          this.logger.error(
            `Census refused the request: ${error.message}. No Census request is retried until the key works; Census metrics are served from kept answers or as synthetic stand-ins.`,
          );
        this.keyErrorLogged = true;
        throw error;
      }
      if (error instanceof CensusUnavailableError) throw error;
      if (isBrokenCircuitError(error))
        throw new CensusUnavailableError(
          'it failed moments ago; Census is left alone for a short cool-down',
        );
      if (error instanceof TaskCancelledError)
        throw new CensusUnavailableError(
          `no usable answer within ${this.budgetMs} ms, retries included`,
        );
      throw new CensusUnavailableError(
        this.scrub(error instanceof Error ? error.message : String(error)),
      );
    }
  }

  /** One HTTP GET, never following a redirect, classified. */
  private async get(
    url: string,
    cancelled: AbortSignal,
  ): Promise<CensusOutcome> {
    this.counts.calls++;
    let response: Response;
    try {
      response = await fetch(
        `${url}&key=${encodeURIComponent(this.options.apiKey)}`,
        {
          redirect: 'manual',
          headers: {
            accept: 'application/json',
            'user-agent': `benchmark-api/${APP_VERSION} (+https://github.com/benchmark-api)`,
          },
          signal: AbortSignal.any([
            cancelled,
            AbortSignal.timeout(this.options.timeoutMs),
          ]),
        },
      );
    } catch (error) {
      this.counts.failures++;
      const err = error as {
        name?: string;
        message?: string;
        cause?: { name?: string; code?: string; message?: string };
      };
      const timedOut =
        err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError';
      const notDelivered =
        !timedOut &&
        ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(
          String(err.cause?.code),
        );
      if (notDelivered) await this.quota.refund();
      throw new CensusTransientError(
        timedOut
          ? `no answer within ${this.options.timeoutMs} ms`
          : `network error (${this.scrub(String(err.cause?.message ?? err.message ?? error))})`,
        notDelivered,
      );
    }
    const body = await response.text().catch(() => '');
    const outcome = classifyCensusAnswer({
      status: response.status,
      header: (name) => response.headers.get(name),
      body,
    });
    if (
      outcome.kind !== 'rows' &&
      outcome.kind !== 'empty' &&
      outcome.kind !== 'not_published'
    )
      this.counts.failures++;
    return outcome;
  }
}
