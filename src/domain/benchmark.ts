import type {
  CompanySize,
  Direction,
  Frequency,
  Region,
  SeriesSource,
  SourceName,
  Unit,
} from './enums';
import type { Month } from './months';
import type { PeerLevel } from './peer-fallback';

/** The five published percentiles of one benchmark distribution, strictly increasing. */
export interface Percentiles {
  readonly p10: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
}

/**
 * One period of one metric for one peer group, dated by the first month of its period. `value` is the benchmark:
 * the median when percentiles are known (then `value === percentiles.p50`), else the published mean.
 */
export interface BenchmarkPoint {
  readonly month: Month;
  readonly value: number;
  readonly percentiles: Percentiles | null;
  /** Businesses behind the figure; null where the source publishes no count (BLS counts whole populations). */
  readonly sampleSize: number | null;
  readonly source: SourceName;
  /**
   * The sample size counts a whole population (every firm or establishment of the cell, as Census publishes it), not a
   * survey sample: such a point never falls back for being small.
   */
  readonly population?: true;
  /**
   * The peer group the point really describes when it is not the series' own cell (a fallback for a sample under
   * MIN_SAMPLE_SIZE); absent for the series' own cell.
   */
  readonly peerGroup?: PeerLevel;
}

/** A peer group: industry, company size and region. */
export interface PeerGroup {
  readonly industry: string;
  readonly companySize: CompanySize;
  readonly region: Region;
}

/** Points of one metric for one peer group, oldest first, at most one per period of the metric's frequency. */
export interface BenchmarkSeries extends PeerGroup {
  readonly metricName: string;
  readonly unit: Unit;
  readonly direction: Direction;
  readonly frequency: Frequency;
  readonly source: SeriesSource;
  readonly points: readonly BenchmarkPoint[];
  /** Free-form facts about how the series was made (wire names, snake_case). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /**
   * Why some numbers are not what was asked for; else empty. From a data source: a failure (BLS down, answered with
   * synthetic stand-ins) over the whole range, never cached. From the benchmarks service: those, plus the texts of
   * the range's {@link yearNotes}.
   */
  readonly warnings: readonly string[];
  /**
   * Warnings that concern single years and hold until the source changes (say, years an upstream no longer
   * serves): cached with the numbers, and shown only to readers of those years.
   */
  readonly yearNotes?: readonly YearNote[];
}

/** A warning about one year of a series (see {@link BenchmarkSeries.yearNotes}). */
export interface YearNote {
  readonly year: number;
  readonly text: string;
}

/** The series source that honestly describes a set of points. */
export function seriesSourceOf(
  points: readonly BenchmarkPoint[],
  fallback: SeriesSource,
): SeriesSource {
  if (points.length === 0) return fallback;
  const first = points[0].source;
  return points.every((p) => p.source === first) ? first : 'mixed';
}

/** What a data source is asked for: metrics of one peer group over an inclusive month range. */
export interface SeriesQuery extends PeerGroup {
  readonly metrics: readonly string[];
  readonly start: Month;
  readonly end: Month;
  /**
   * Deseasonalised benchmarks: the figures with the season taken out. Each series says in
   * `metadata.seasonally_adjusted` whether it could be adjusted (a source that cannot adjust a metric says false and
   * why, in `metadata.seasonal_adjustment_note`).
   */
  readonly seasonallyAdjusted?: boolean;
}

/** Whether a series' figures are free of seasonality (see {@link SeriesQuery.seasonallyAdjusted}). */
export function isSeasonallyAdjusted(series: BenchmarkSeries): boolean {
  return series.metadata.seasonally_adjusted === true;
}
