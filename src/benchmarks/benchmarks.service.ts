import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  CACHE_STORE,
  cacheKey,
  type CacheStore,
} from '../cache/cache-store.interface';
import { requireIndustry, requireMetrics } from '../common/catalog-lookup';
import { Clock } from '../common/clock';
import type { EnvironmentVariables } from '../config/env.validation';
import {
  DATA_SOURCE,
  type DataSource,
} from '../data-sources/data-source.interface';
import type {
  BenchmarkPoint,
  BenchmarkSeries,
  PeerGroup,
} from '../domain/benchmark';
import type { MetricDefinition } from '../domain/catalog';
import {
  EARLIEST_MONTH,
  lastCompleteMonth,
  MAX_RANGE_MONTHS,
  monthFromIsoDate,
  monthOf,
  monthToIsoDate,
  yearOfMonth,
  type Month,
} from '../domain/months';

/** A data request in domain terms: defaults not yet applied to the metrics and dates. */
export interface DataQuery extends PeerGroup {
  readonly metrics?: readonly string[];
  readonly startDate?: string;
  readonly endDate?: string;
}

/** One metric of one peer group for one calendar year: the unit the cache stores. */
interface YearBlock {
  readonly points: readonly BenchmarkPoint[];
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * Benchmark series from the active data source, through the shared cache. Entries are one per
 * source/industry/size/region/metric/year, so overlapping requests share them whatever range they ask for.
 */
@Injectable()
export class BenchmarksService {
  private readonly ttlSeconds: number;

  constructor(
    @Inject(DATA_SOURCE) private readonly source: DataSource,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.ttlSeconds = config.get('CACHE_TTL_SECONDS', { infer: true });
  }

  /** The most recent month with benchmarks: the last complete month. */
  latestMonth(): Month {
    return lastCompleteMonth(this.clock.now());
  }

  /** Series for a data request: 404 for an unknown industry or metric, 400 for a range the service cannot serve. */
  async getData(query: DataQuery): Promise<BenchmarkSeries[]> {
    const industry = requireIndustry(query.industry);
    const metrics = requireMetrics(industry, query.metrics);
    const { start, end } = this.resolveRange(query.startDate, query.endDate);
    return this.seriesFor(query, metrics, start, end);
  }

  /**
   * The month a date falls in, checked against what the service can serve; `field` names the request field in the
   * error. Defaults to the latest month.
   */
  resolveMonth(date: string | undefined, field: string): Month {
    if (date === undefined) return this.latestMonth();
    const month = monthFromIsoDate(date);
    this.checkWithinServedMonths(month, field);
    return month;
  }

  private resolveRange(
    startDate?: string,
    endDate?: string,
  ): { start: Month; end: Month } {
    const latest = this.latestMonth();
    const start =
      startDate !== undefined ? monthFromIsoDate(startDate) : undefined;
    const end =
      endDate !== undefined
        ? monthFromIsoDate(endDate)
        : start !== undefined
          ? Math.min(start + 11, latest)
          : latest;
    const first = start ?? Math.max(EARLIEST_MONTH, end - 11);
    if (start !== undefined) this.checkWithinServedMonths(start, 'start_date');
    if (endDate !== undefined) this.checkWithinServedMonths(end, 'end_date');
    if (end < first) {
      throw new BadRequestException(
        `end_date must not be before start_date; with end_date omitted it defaults to the last complete month, ${monthToIsoDate(latest)}`,
      );
    }
    const span = end - first + 1;
    if (span > MAX_RANGE_MONTHS) {
      throw new BadRequestException(
        `start_date to end_date spans ${span} months; at most ${MAX_RANGE_MONTHS} months are allowed per request`,
      );
    }
    return { start: first, end };
  }

  private checkWithinServedMonths(month: Month, field: string): void {
    const latest = this.latestMonth();
    if (month < EARLIEST_MONTH) {
      throw new BadRequestException(
        `${field} must be on or after ${monthToIsoDate(EARLIEST_MONTH)}`,
      );
    }
    if (month > latest) {
      throw new BadRequestException(
        `${field} must not be after ${monthToIsoDate(latest)}: benchmarks exist up to the last complete month`,
      );
    }
  }

  /**
   * Series for already-validated metrics over an inclusive month range, one point per month the source has.
   * Reads whole years from the cache and fetches only the metric-years it lacks, in one call to the source.
   */
  async seriesFor(
    peers: PeerGroup,
    metrics: readonly MetricDefinition[],
    start: Month,
    end: Month,
  ): Promise<BenchmarkSeries[]> {
    const group: PeerGroup = {
      industry: peers.industry,
      companySize: peers.companySize,
      region: peers.region,
    };
    const firstYear = yearOfMonth(start);
    const lastYear = yearOfMonth(end);
    const years: number[] = [];
    for (let y = firstYear; y <= lastYear; y++) years.push(y);

    const keyOf = (metric: string, year: number): string =>
      cacheKey(
        this.source.fingerprint,
        group.industry,
        group.companySize,
        group.region,
        metric,
        year,
      );
    const blocks = new Map<string, YearBlock>();
    await Promise.all(
      metrics.flatMap((metric) =>
        years.map(async (year) => {
          const key = keyOf(metric.name, year);
          const block = await this.cache.get<YearBlock>(key);
          if (block) blocks.set(key, block);
        }),
      ),
    );

    const missing = metrics.filter((m) =>
      years.some((y) => !blocks.has(keyOf(m.name, y))),
    );
    if (missing.length > 0) {
      const missingYears = years.filter((y) =>
        missing.some((m) => !blocks.has(keyOf(m.name, y))),
      );
      const fetchStart = monthOf(missingYears[0], 1);
      const fetchEnd = monthOf(missingYears[missingYears.length - 1], 12);
      const fetched = await this.source.getSeries({
        ...group,
        metrics: missing.map((m) => m.name),
        start: fetchStart,
        end: fetchEnd,
      });
      const writes: Promise<void>[] = [];
      for (const series of fetched) {
        for (let y = yearOfMonth(fetchStart); y <= yearOfMonth(fetchEnd); y++) {
          const block: YearBlock = {
            points: series.points.filter((p) => yearOfMonth(p.month) === y),
            metadata: series.metadata,
          };
          const key = keyOf(series.metricName, y);
          blocks.set(key, block);
          writes.push(this.cache.set(key, block, this.ttlSeconds));
        }
      }
      await Promise.all(writes);
    }

    return metrics.map((metric) => {
      const points = years.flatMap((y) =>
        blocks
          .get(keyOf(metric.name, y))!
          .points.filter((p) => p.month >= start && p.month <= end),
      );
      const metadata = blocks.get(keyOf(metric.name, lastYear))!.metadata;
      return {
        ...group,
        metricName: metric.name,
        unit: metric.unit,
        direction: metric.direction,
        source: this.source.name,
        points,
        metadata,
      };
    });
  }
}
