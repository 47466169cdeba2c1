import type { BenchmarkSeries, SeriesQuery } from '../domain/benchmark';
import type { IndustryDefinition } from '../domain/catalog';
import type { DataSourceName } from '../domain/enums';

/** Injection token of the active {@link DataSource}. */
export const DATA_SOURCE = Symbol('DATA_SOURCE');

/**
 * Benchmark series for one peer group, wherever they come from: the port the synthetic generator and the BLS-backed
 * source implement. It serves data and its catalog only (an upstream's health and metrics belong to its module).
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
}
