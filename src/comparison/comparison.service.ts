import {
  BadRequestException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { BenchmarksService } from '../benchmarks/benchmarks.service';
import { requireIndustry } from '../common/catalog-lookup';
import type {
  BenchmarkPoint,
  BenchmarkSeries,
  PeerGroup,
} from '../domain/benchmark';
import type { MetricDefinition } from '../domain/catalog';
import {
  compareToBenchmark,
  userValueProblem,
  type Comparison,
} from '../domain/comparison';
import { monthToIsoDate, type Month } from '../domain/months';

/** How far back /compare looks for the newest published point of an annual or quarterly metric (BLS lags). */
const LOOKBACK_MONTHS = 36;

export interface CompareQuery extends PeerGroup {
  readonly userValues: Readonly<Record<string, number>>;
  /** Any date in the month to compare against; default the latest month. */
  readonly period?: string;
}

/** One metric's comparison, with the benchmark point it was computed from. */
export interface ComparisonResult {
  readonly metric: MetricDefinition;
  readonly peers: PeerGroup;
  /** The month asked for. */
  readonly month: Month;
  /** The benchmark used: that month's, or for annual and quarterly metrics the newest published at or before it. */
  readonly point: BenchmarkPoint;
  readonly comparison: Comparison;
  readonly warnings: readonly string[];
}

@Injectable()
export class ComparisonService {
  constructor(private readonly benchmarks: BenchmarksService) {}

  /**
   * Compares each user value with its metric's benchmark for the month: one result per metric, in the order the
   * values were given. 404 for an unknown industry or metric or when no benchmark is published at or before the
   * month, 400 for a value outside its metric's valid range or a period outside the served months.
   */
  async compare(query: CompareQuery): Promise<ComparisonResult[]> {
    const industry = requireIndustry(query.industry);
    const metrics = this.benchmarks.metricsFor(
      industry,
      Object.keys(query.userValues),
    );
    const problems = metrics
      .map((m) => userValueProblem(m, query.userValues[m.name]))
      .filter((p): p is string => p !== undefined);
    if (problems.length > 0) throw new BadRequestException(problems);
    const month = this.benchmarks.resolveMonth(query.period, 'period');
    const peers: PeerGroup = {
      industry: industry.key,
      companySize: query.companySize,
      region: query.region,
    };

    // Monthly metrics are compared with that month; the others with their newest point at or before it.
    const monthly = metrics.filter((m) => m.frequency === 'monthly');
    const lagging = metrics.filter((m) => m.frequency !== 'monthly');
    const [monthlySeries, laggingSeries] = await Promise.all([
      monthly.length > 0
        ? this.benchmarks.seriesFor(peers, monthly, month, month)
        : [],
      lagging.length > 0
        ? this.benchmarks.seriesFor(
            peers,
            lagging,
            month - LOOKBACK_MONTHS + 1,
            month,
          )
        : [],
    ]);
    const seriesByMetric = new Map<string, BenchmarkSeries>(
      [...monthlySeries, ...laggingSeries].map((s) => [s.metricName, s]),
    );
    const industryLabel = industry.key.replace(/_/g, ' ');

    return metrics.map((metric) => {
      const series = seriesByMetric.get(metric.name)!;
      // For a BLS metric the newest real observation wins over a newer stand-in for a period BLS has not
      // published yet; stand-ins are used only when BLS has nothing (it failed: the warnings say so).
      const candidates = [...series.points]
        .reverse()
        .filter((p) => p.month <= month);
      const point =
        candidates.find((p) => p.source === metric.source) ?? candidates[0];
      if (!point) {
        throw new NotFoundException(
          `No ${metric.source} benchmark for ${metric.name} published at or before ${monthToIsoDate(month)}` +
            (metric.frequency === 'monthly'
              ? ''
              : ` (looked back ${LOOKBACK_MONTHS} months)`),
        );
      }
      const comparison = compareToBenchmark(
        query.userValues[metric.name],
        point,
        metric,
        peers,
        industryLabel,
      );
      return {
        metric,
        peers,
        month,
        point,
        comparison,
        warnings: series.warnings,
      };
    });
  }
}
