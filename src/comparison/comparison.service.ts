import {
  BadRequestException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { BenchmarksService } from '../benchmarks/benchmarks.service';
import { requireIndustry, requireMetrics } from '../common/catalog-lookup';
import type { BenchmarkPoint, PeerGroup } from '../domain/benchmark';
import type { MetricDefinition } from '../domain/catalog';
import {
  compareToBenchmark,
  userValueProblem,
  type Comparison,
} from '../domain/comparison';
import { monthToIsoDate } from '../domain/months';

export interface CompareQuery extends PeerGroup {
  readonly userValues: Readonly<Record<string, number>>;
  /** Any date in the month to compare against; default the latest month. */
  readonly period?: string;
}

/** One metric's comparison, with the benchmark point it was computed from. */
export interface ComparisonResult {
  readonly metric: MetricDefinition;
  readonly peers: PeerGroup;
  readonly point: BenchmarkPoint;
  readonly comparison: Comparison;
}

@Injectable()
export class ComparisonService {
  constructor(private readonly benchmarks: BenchmarksService) {}

  /**
   * Compares each user value with its metric's benchmark for the month: one result per metric, in the order the
   * values were given. 404 for an unknown industry or metric, 400 for a value outside its metric's valid range or
   * a period outside the served months.
   */
  async compare(query: CompareQuery): Promise<ComparisonResult[]> {
    const industry = requireIndustry(query.industry);
    const metrics = requireMetrics(industry, Object.keys(query.userValues));
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
    const series = await this.benchmarks.seriesFor(
      peers,
      metrics,
      month,
      month,
    );
    const industryLabel = industry.key.replace(/_/g, ' ');

    return metrics.map((metric, i) => {
      const point = series[i].points.find((p) => p.month === month);
      if (!point) {
        throw new NotFoundException(
          `No ${series[i].source} benchmark for ${metric.name} in ${monthToIsoDate(month)}`,
        );
      }
      const comparison = compareToBenchmark(
        query.userValues[metric.name],
        point.percentiles,
        metric,
        peers,
        industryLabel,
      );
      return { metric, peers, point, comparison };
    });
  }
}
