import {
  BadRequestException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  BenchmarkReader,
  type SeriesOptions,
} from '../benchmarks/benchmark-reader';
import { Clock } from '../common/clock';
import { IndustriesService } from '../industries/industries.service';
import {
  isSeasonallyAdjusted,
  type BenchmarkPoint,
  type BenchmarkSeries,
  type PeerGroup,
} from '../domain/benchmark';
import type { IndustryDefinition, MetricDefinition } from '../domain/catalog';
import {
  compareToBenchmark,
  describeBasis,
  valueProblem,
  type Comparison,
} from '../domain/comparison';
import type { ComparisonBasis } from '../domain/enums';
import {
  lastCompleteMonth,
  monthFromIsoDate,
  monthToIsoDate,
  yearOfMonth,
  type Month,
} from '../domain/months';
import { servedMonthProblem, spanProblem } from '../domain/served-months';
import { growth, rankChange } from '../domain/trajectory';
import type { PeerLevel } from '../domain/peer-fallback';
import {
  NothingToScoreError,
  scorecard,
  type Audience,
  type Scorecard,
} from '../domain/scorecard';

/** How far back /compare looks for the newest published point of an annual or quarterly metric (QCEW lags by months). */
export const LOOKBACK_MONTHS = 36;
/**
 * The same for a Census metric: a year's figures come out about two years after it ends (ABS 2022 in 2025), so from
 * late in a year the newest one is nearly four years before the month compared.
 */
export const CENSUS_LOOKBACK_MONTHS = 60;

/** How far back /compare looks for a metric's newest published point (0 for a monthly metric: that month only). */
export function lookbackMonths(metric: MetricDefinition): number {
  if (metric.frequency === 'monthly') return 0;
  return metric.source === 'census' ? CENSUS_LOOKBACK_MONTHS : LOOKBACK_MONTHS;
}

export interface CompareQuery extends PeerGroup {
  readonly userValues: Readonly<Record<string, number>>;
  /** Any date in the month to compare against; default the latest month. */
  readonly period?: string;
  /** Compare with deseasonalised benchmarks (the business's value is then taken as seasonally adjusted too). */
  readonly seasonallyAdjusted?: boolean;
}

/** One metric's comparison, with the benchmark point it was computed from. */
export interface ComparisonResult {
  readonly metric: MetricDefinition;
  readonly peers: PeerGroup;
  /** The month asked for. */
  readonly month: Month;
  /** The benchmark used: that month's, or for annual and quarterly metrics the newest published at or before it. */
  readonly point: BenchmarkPoint;
  /** The peer group the point describes: the one asked for, or the fallback used for a small sample. */
  readonly peerLevel: PeerLevel;
  readonly basis: ComparisonBasis;
  /** Whether the benchmark was deseasonalised (asked for, and the source could). */
  readonly seasonallyAdjusted: boolean;
  readonly comparison: Comparison;
  readonly warnings: readonly string[];
}

export interface ScorecardQuery extends CompareQuery {
  /** Weights by metric name, already validated against user_values; missing ones count 1. */
  readonly weights: Readonly<Record<string, number>>;
  readonly audience: Audience;
}

export interface TrajectoryQuery extends PeerGroup {
  /** Points by metric, already validated in shape: 2 or more, real dates, one per month. */
  readonly userSeries: Readonly<
    Record<string, ReadonlyArray<{ period: string; value: number }>>
  >;
  readonly seasonallyAdjusted?: boolean;
}

/** A business's metric over time against its peers. */
export interface Trajectory {
  readonly metric: MetricDefinition;
  /** One comparison per period sent, oldest first. */
  readonly results: readonly ComparisonResult[];
  readonly rankChange: number | null;
  readonly userGrowth: number | null;
  readonly benchmarkGrowth: number | null;
}

/** Benchmarks of some metrics, loaded for comparisons in a range of months. */
export interface LoadedBenchmarks {
  readonly industry: IndustryDefinition;
  readonly peers: PeerGroup;
  readonly seasonallyAdjusted: boolean;
  readonly series: ReadonlyMap<string, BenchmarkSeries>;
}

/**
 * POST /compare, /scorecard and /compare/trajectory: the request checked against the catalog, the served months and
 * each metric's valid range (400s naming the request's own fields), the peer group's benchmarks read once, then each
 * value compared by the domain's functions.
 */
@Injectable()
export class ComparisonService {
  constructor(
    private readonly industries: IndustriesService,
    private readonly reader: BenchmarkReader,
    private readonly clock: Clock,
  ) {}

  /**
   * Compares each user value with its metric's benchmark for the month: one result per metric, in the order the
   * values were given. 404 for an unknown industry or metric or when no benchmark is published at or before the
   * month, 400 for a value outside its metric's valid range or a period outside the served months.
   */
  async compare(query: CompareQuery): Promise<ComparisonResult[]> {
    const industry = this.industries.industry(query.industry);
    const metrics = this.industries.metrics(
      industry,
      Object.keys(query.userValues),
    );
    const problems = metrics
      .map((m) =>
        valueProblem(`user_values.${m.name}`, m, query.userValues[m.name]),
      )
      .filter((p): p is string => p !== undefined);
    if (problems.length > 0) throw new BadRequestException(problems);
    const latest = this.latestMonth();
    const month =
      query.period !== undefined ? monthFromIsoDate(query.period) : latest;
    const monthProblem = servedMonthProblem('period', month, latest);
    if (monthProblem) throw new BadRequestException(monthProblem);
    const loaded = await this.load(
      industry,
      query,
      metrics,
      month,
      month,
      query.seasonallyAdjusted === true,
    );
    return metrics.map((metric) =>
      this.compareAt(loaded, metric, query.userValues[metric.name], month),
    );
  }

  /** The last complete month: the default and the newest a request may ask for. */
  private latestMonth(): Month {
    return lastCompleteMonth(this.clock.now());
  }

  /**
   * The comparisons of {@link compare}, scored: the weighted mean of their performance percentiles and a summary for
   * the audience. 400 when no metric with a percentile rank has a weight above 0.
   */
  async scorecard(
    query: ScorecardQuery,
  ): Promise<{ card: Scorecard; results: ComparisonResult[] }> {
    const results = await this.compare(query);
    try {
      const card = scorecard(
        results.map((r) => ({
          metric: r.metric,
          comparison: r.comparison,
          peerLevel: r.peerLevel,
          sampleSize: r.point.population ? null : r.point.sampleSize,
        })),
        query.weights,
        query.audience,
        results[0].peers,
        results[0].peers.industry.replace(/_/g, ' '),
      );
      return { card, results };
    } catch (error) {
      if (error instanceof NothingToScoreError)
        throw new BadRequestException(error.message);
      throw error;
    }
  }

  /**
   * Each metric's series compared period by period, as /compare would compare each value, with the change of rank
   * and both growths from the first period to the last. 404 for an unknown industry or metric (or no benchmark
   * published), 400 naming `user_series.<metric>[i]` for a value outside its metric's range or a month outside
   * the served ones, or periods spanning over {@link MAX_RANGE_MONTHS} months.
   */
  async trajectory(query: TrajectoryQuery): Promise<Trajectory[]> {
    const industry = this.industries.industry(query.industry);
    const metrics = this.industries.metrics(
      industry,
      Object.keys(query.userSeries),
    );
    const latest = this.latestMonth();
    const problems: string[] = [];
    const series = metrics.map((metric) => {
      const points = query.userSeries[metric.name].map((p, i) => {
        const field = `user_series.${metric.name}[${i}]`;
        const month = monthFromIsoDate(p.period);
        for (const problem of [
          valueProblem(`${field}.value`, metric, p.value),
          servedMonthProblem(`${field}.period`, month, latest),
        ])
          if (problem) problems.push(problem);
        return { month, value: p.value };
      });
      return { metric, points: points.sort((a, b) => a.month - b.month) };
    });
    if (problems.length > 0) throw new BadRequestException(problems);
    const months = series.flatMap((s) => s.points.map((p) => p.month));
    const first = Math.min(...months);
    const last = Math.max(...months);
    const span = spanProblem('user_series periods span', first, last, true);
    if (span) throw new BadRequestException(span);
    const loaded = await this.load(
      industry,
      query,
      metrics,
      first,
      last,
      query.seasonallyAdjusted === true,
    );
    return series.map(({ metric, points }) => {
      const results = points.map((p) =>
        this.compareAt(loaded, metric, p.value, p.month),
      );
      const a = results[0].comparison;
      const b = results[results.length - 1].comparison;
      return {
        metric,
        results,
        rankChange: rankChange(a.percentileRank, b.percentileRank),
        userGrowth: growth(a.userValue, b.userValue),
        benchmarkGrowth: growth(a.benchmarkValue, b.benchmarkValue),
      };
    });
  }

  /**
   * The benchmarks of `metrics` for comparisons in `first`..`last`, through the peer fallback: monthly metrics over
   * those months, annual and quarterly ones from {@link lookbackMonths} before.
   */
  async load(
    industry: IndustryDefinition,
    peerGroup: PeerGroup,
    metrics: readonly MetricDefinition[],
    first: Month,
    last: Month,
    seasonallyAdjusted: boolean,
  ): Promise<LoadedBenchmarks> {
    const peers: PeerGroup = {
      industry: industry.key,
      companySize: peerGroup.companySize,
      region: peerGroup.region,
    };
    const options: SeriesOptions = { seasonallyAdjusted };
    // Monthly metrics are compared with that month; the others with their newest point at or before it, looked for
    // as far back as their source's publication lag asks (one read per distinct lookback).
    const byLookback = new Map<number, MetricDefinition[]>();
    for (const metric of metrics) {
      const back = lookbackMonths(metric);
      byLookback.set(back, [...(byLookback.get(back) ?? []), metric]);
    }
    const read = await Promise.all(
      [...byLookback].map(([back, group]) =>
        this.reader.peerSeries(
          peers,
          group,
          back === 0 ? first : first - back + 1,
          last,
          options,
        ),
      ),
    );
    return {
      industry,
      peers,
      seasonallyAdjusted,
      series: new Map(read.flat().map((s) => [s.metricName, s])),
    };
  }

  /** One value compared with its metric's benchmark for `month`; 404 when none is published at or before it. */
  compareAt(
    loaded: LoadedBenchmarks,
    metric: MetricDefinition,
    userValue: number,
    month: Month,
  ): ComparisonResult {
    const series = loaded.series.get(metric.name)!;
    // For a BLS metric the newest real observation wins over a newer stand-in for a period BLS has not
    // published yet; stand-ins are used only when BLS has nothing (it failed: the warnings say so).
    let point: BenchmarkPoint | undefined; // the newest at or before the month: from the metric's source if any
    for (let i = series.points.length - 1; i >= 0; i--) {
      const candidate = series.points[i];
      if (candidate.month > month) continue;
      point ??= candidate;
      if (candidate.source === metric.source) {
        point = candidate;
        break;
      }
    }
    // The notes of the month asked for, and of the year of the point used (a Census figure from two years before
    // carries its own quality notes).
    const warnings = warningsAt(series, point ? [month, point.month] : [month]);
    if (!point) {
      throw new NotFoundException(
        `No ${metric.source} benchmark for ${metric.name} published at or before ${monthToIsoDate(month)}` +
          (metric.frequency === 'monthly'
            ? ''
            : ` (looked back ${lookbackMonths(metric)} months)`) +
          warnings.map((w) => `. ${w}`).join(''),
      );
    }
    const adjusted = loaded.seasonallyAdjusted && isSeasonallyAdjusted(series);
    const unadjustable = loaded.seasonallyAdjusted && !adjusted;
    const basis: ComparisonBasis =
      metric.frequency !== 'monthly'
        ? 'published_period'
        : adjusted
          ? 'seasonally_adjusted'
          : 'same_month';
    const peers = loaded.peers;
    const peerLevel: PeerLevel = point.peerGroup ?? {
      companySize: peers.companySize,
      region: peers.region,
      fallback: false,
    };
    const comparison = compareToBenchmark(
      userValue,
      point,
      metric,
      peers,
      loaded.industry.key.replace(/_/g, ' '),
      {
        peerLevel,
        minSampleSize: this.reader.minSampleSize,
        basisText: describeBasis(
          basis,
          point.month,
          metric.frequency,
          unadjustable,
        ),
      },
    );
    const note = series.metadata.seasonal_adjustment_note;
    return {
      metric,
      peers,
      month,
      point,
      peerLevel,
      basis,
      seasonallyAdjusted: adjusted,
      comparison,
      warnings: unadjustable
        ? [
            ...warnings,
            `${metric.name}: not seasonally adjusted${typeof note === 'string' ? `: ${note}` : ''}`,
          ]
        : warnings,
    };
  }
}

/**
 * The series' warnings that concern a comparison for `month`: all of them except year notes of other years (the
 * series covers a look-back range; a note about a year before the month's says nothing about this comparison).
 */
function warningsAt(
  series: BenchmarkSeries,
  months: readonly Month[],
): readonly string[] {
  const notes = series.yearNotes ?? [];
  if (notes.length === 0) return series.warnings;
  const years = new Set(months.map(yearOfMonth));
  const here = new Set(
    notes.filter((n) => years.has(n.year)).map((n) => n.text),
  );
  const elsewhere = new Set(
    notes.filter((n) => !years.has(n.year)).map((n) => n.text),
  );
  return series.warnings.filter((w) => here.has(w) || !elsewhere.has(w));
}
