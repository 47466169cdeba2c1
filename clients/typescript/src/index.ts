/**
 * A typed client for benchmark-api. `schema.ts` is generated from the repository's openapi.json
 * (`npm run client:generate`); this file only adds what the generated client leaves awkward: one method per
 * operation that returns the body or throws a {@link BenchmarkApiError}, the admin key, and the CSV variants.
 * `client.raw` is the generated openapi-fetch client, for anything else (headers, the full Response).
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

type Schemas = components['schemas'];
export type DataRequest = Schemas['DataRequestDto'];
export type BenchmarkSeries = Schemas['BenchmarkSeriesDto'];
export type CompareRequest = Schemas['CompareRequestDto'];
export type ComparisonResult = Schemas['ComparisonResultDto'];
export type IndustryList = Schemas['IndustryListResponseDto'];
export type IndustryDetail = Schemas['IndustryDetailResponseDto'];
export type MetricsList = Schemas['MetricsResponseDto'];
export type Health = Schemas['HealthResponseDto'];
export type CacheCleared = Schemas['CacheClearedResponseDto'];
export type ScorecardRequest = Schemas['ScorecardRequestDto'];
export type Scorecard = Schemas['ScorecardResponseDto'];
export type TrajectoryRequest = Schemas['TrajectoryRequestDto'];
export type Trajectory = Schemas['TrajectoryDto'];
export type ErrorBody = Schemas['ErrorResponseDto'];
/** An industry key (retail, restaurant, ...). */
export type Industry =
  operations['getIndustry']['parameters']['path']['industry'];

/** An answer other than 2xx: its status and the service's error body ({statusCode, error, message}). */
export class BenchmarkApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | undefined,
  ) {
    const message = body?.message;
    super(
      `benchmark-api answered ${status}: ${Array.isArray(message) ? message.join('; ') : (message ?? 'no message')}`,
    );
    this.name = 'BenchmarkApiError';
  }
}

export interface BenchmarkClientOptions {
  /** Where the service runs, e.g. http://localhost:8000 (no /api/benchmarks: the paths include it). */
  readonly baseUrl: string;
  /** ADMIN_API_KEY, only for clearCache(). */
  readonly adminKey?: string;
  /** Another fetch (tests, proxies); the global one by default. */
  readonly fetch?: typeof globalThis.fetch;
  /** Sent with every request (x-request-id, ...). */
  readonly headers?: Record<string, string>;
}

interface Result<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/** The body of a 2xx, or a BenchmarkApiError with the service's error body. */
async function bodyOf<T>(pending: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok || data === undefined) {
    throw new BenchmarkApiError(
      response.status,
      error as ErrorBody | undefined,
    );
  }
  return data;
}

/** The body of a 2xx JSON answer of an operation that can also answer CSV (asked for JSON, so not a string). */
async function jsonOf<T>(
  pending: Promise<Result<T>>,
): Promise<Exclude<T, string>> {
  const data = await bodyOf(pending);
  if (typeof data === 'string') {
    throw new TypeError('benchmark-api answered text where JSON was asked for');
  }
  return data as Exclude<T, string>;
}

/** The text of a 2xx CSV answer, or a BenchmarkApiError. */
async function csvOf(pending: Promise<Result<unknown>>): Promise<string> {
  const { data, error, response } = await pending;
  if (!response.ok || typeof data !== 'string') {
    const body =
      typeof error === 'string' ? (JSON.parse(error) as ErrorBody) : error;
    throw new BenchmarkApiError(response.status, body as ErrorBody | undefined);
  }
  return data;
}

export interface BenchmarkClient {
  /** The generated openapi-fetch client. */
  readonly raw: Client<paths>;
  health(): Promise<Health>;
  listIndustries(): Promise<IndustryList>;
  getIndustry(industry: Industry): Promise<IndustryDetail>;
  getMetrics(industry: Industry): Promise<MetricsList>;
  getData(request: DataRequest): Promise<BenchmarkSeries[]>;
  /** The same series as CSV: a header row, then one row per data point. */
  getDataCsv(request: DataRequest): Promise<string>;
  compare(request: CompareRequest): Promise<ComparisonResult[]>;
  /** The same comparison as CSV: a header row, then one row per metric. */
  compareCsv(request: CompareRequest): Promise<string>;
  /** An overall score from weighted performance percentiles, strongest and weakest metrics, a summary. */
  scorecard(request: ScorecardRequest): Promise<Scorecard>;
  /** The scorecard's results as CSV, with weight, performance percentile and overall score columns. */
  scorecardCsv(request: ScorecardRequest): Promise<string>;
  /** A series of your values against the benchmark, period by period. */
  trajectory(request: TrajectoryRequest): Promise<Trajectory[]>;
  /** Needs `adminKey`. */
  clearCache(): Promise<CacheCleared>;
}

export function createBenchmarkClient(
  options: BenchmarkClientOptions,
): BenchmarkClient {
  const raw = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch,
    headers: options.headers,
  });
  const csv = { accept: 'text/csv' };
  return {
    raw,
    health: () => bodyOf(raw.GET('/api/benchmarks/health')),
    listIndustries: () => bodyOf(raw.GET('/api/benchmarks/industries')),
    getIndustry: (industry) =>
      bodyOf(
        raw.GET('/api/benchmarks/industries/{industry}', {
          params: { path: { industry } },
        }),
      ),
    getMetrics: (industry) =>
      bodyOf(
        raw.GET('/api/benchmarks/metrics/{industry}', {
          params: { path: { industry } },
        }),
      ),
    getData: (body) => jsonOf(raw.POST('/api/benchmarks/data', { body })),
    getDataCsv: (body) =>
      csvOf(
        raw.POST('/api/benchmarks/data', {
          body,
          headers: csv,
          parseAs: 'text',
        }),
      ),
    compare: (body) => jsonOf(raw.POST('/api/benchmarks/compare', { body })),
    compareCsv: (body) =>
      csvOf(
        raw.POST('/api/benchmarks/compare', {
          body,
          headers: csv,
          parseAs: 'text',
        }),
      ),
    scorecard: (body) =>
      jsonOf(raw.POST('/api/benchmarks/scorecard', { body })),
    scorecardCsv: (body) =>
      csvOf(
        raw.POST('/api/benchmarks/scorecard', {
          body,
          headers: csv,
          parseAs: 'text',
        }),
      ),
    trajectory: (body) =>
      bodyOf(raw.POST('/api/benchmarks/compare/trajectory', { body })),
    clearCache: () =>
      bodyOf(
        raw.DELETE('/api/benchmarks/cache', {
          headers: options.adminKey
            ? { authorization: `Bearer ${options.adminKey}` }
            : {},
        }),
      ),
  };
}
