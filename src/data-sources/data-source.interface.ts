import type { BenchmarkSeries, SeriesQuery } from '../domain/benchmark';
import type { SourceName } from '../domain/enums';

/** Injection token of the active {@link DataSource}. */
export const DATA_SOURCE = Symbol('DATA_SOURCE');

/**
 * Benchmark series for one peer group, wherever they come from. The port both the synthetic generator and (later)
 * the BLS client implement.
 *
 * Contract: the caller has already checked the industry and metrics against the catalog. The result has one series
 * per requested metric, in the requested order, each with at most one point per month of the inclusive range,
 * oldest first; every point says its `source`. Implementations never throw HttpExceptions.
 */
export interface DataSource {
  readonly name: SourceName;
  /**
   * Identifies the numbers this source produces (implementation, version and anything that changes its output,
   * such as the synthetic seed). Part of every cache key, so instances with different settings never share entries.
   */
  readonly fingerprint: string;
  getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]>;
}
