import type { CompanySize, Direction, Region, SourceName, Unit } from './enums';
import type { Month } from './months';

/** The five published percentiles of one benchmark distribution, strictly increasing. */
export interface Percentiles {
  readonly p10: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
}

/** One month of one metric for one peer group. The benchmark value is the median (`p50`). */
export interface BenchmarkPoint {
  readonly month: Month;
  readonly percentiles: Percentiles;
  readonly sampleSize: number;
  readonly source: SourceName;
}

/** A peer group: industry, company size and region. */
export interface PeerGroup {
  readonly industry: string;
  readonly companySize: CompanySize;
  readonly region: Region;
}

/** Monthly points of one metric for one peer group, oldest first, one per month. */
export interface BenchmarkSeries extends PeerGroup {
  readonly metricName: string;
  readonly unit: Unit;
  readonly direction: Direction;
  readonly source: SourceName;
  readonly points: readonly BenchmarkPoint[];
  /** Free-form facts about how the series was made (wire names, snake_case). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** What a data source is asked for: metrics of one peer group over an inclusive month range. */
export interface SeriesQuery extends PeerGroup {
  readonly metrics: readonly string[];
  readonly start: Month;
  readonly end: Month;
}
