import type { BenchmarkSeries, SeriesQuery } from '../domain/benchmark';
import type { IndustryDefinition } from '../domain/catalog';
import type { DataSourceName } from '../domain/enums';

/** Injection token of the active {@link DataSource}. */
export const DATA_SOURCE = Symbol('DATA_SOURCE');

/**
 * Benchmark series for one peer group, wherever they come from. The port both the synthetic generator and (later)
 * the BLS client implement.
 *
 * Contract: the caller has already checked the industry and metrics against the catalog. The result has one series
 * per requested metric, in the requested order, each with at most one point per period of the metric's frequency
 * that overlaps the inclusive range, oldest first; every point says its `source`. A source that cannot reach its
 * upstream answers with labelled stand-ins and `warnings` rather than failing. Implementations never throw
 * HttpExceptions.
 */
export interface DataSource {
  readonly name: DataSourceName;
  /**
   * Identifies the numbers this source produces (implementation, version and anything that changes its output,
   * such as the synthetic seed). Part of every cache key, so instances with different settings never share entries.
   */
  readonly fingerprint: string;
  /** The metrics this source serves for the industry, in catalog order. */
  metricNames(industry: IndustryDefinition): readonly string[];
  getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]>;
  /** The upstream behind the source, for readiness and metrics; absent for the synthetic source (no upstream). */
  upstream?(): UpstreamStatus;
}

/** What a source knows about its upstream (BLS). */
export interface UpstreamStatus {
  readonly name: string;
  /** HTTP requests sent, and failed, since start. */
  readonly calls: number;
  readonly failures: number;
  /** When the upstream last served data (or the cache held its data); undefined: never in this process. */
  readonly lastSuccessAt?: number;
  /** Requests left in today's budget. */
  quotaRemaining(): Promise<number>;
  /**
   * Tries to reach the upstream at most once per `minIntervalMs` (each try costs one request of the daily budget);
   * resolves to whether it answered. Between tries, resolves to the last result.
   */
  probe(minIntervalMs: number): Promise<boolean>;
}
