import { Inject, Injectable } from '@nestjs/common';
import { ReadThroughCache, type Loaded } from '../cache/read-through';
import {
  benchmarksConfig,
  type BenchmarksConfig,
} from '../config/benchmarks.config';
import {
  DATA_SOURCE,
  type DataSource,
} from '../data-sources/data-source.interface';
import {
  seriesSourceOf,
  type BenchmarkPoint,
  type BenchmarkSeries,
  type PeerGroup,
  type YearNote,
} from '../domain/benchmark';
import type { MetricDefinition } from '../domain/catalog';
import { COMPANY_SIZES } from '../domain/enums';
import { monthOf, yearOfMonth, type Month } from '../domain/months';
import {
  chooseLevel,
  fallbackChain,
  isUndersampled,
  pooledPoint,
  type PeerLevel,
} from '../domain/peer-fallback';
import { cacheKey } from '../cache/cache-store.interface';
import {
  decodeYearBlock,
  encodeYearBlock,
  type YearBlock,
} from './year-block.codec';

/** How series are asked for beyond their peer group and range. */
export interface SeriesOptions {
  /** Deseasonalised benchmarks (see SeriesQuery.seasonallyAdjusted); cached apart from the unadjusted ones. */
  readonly seasonallyAdjusted?: boolean;
}

/** A block of one metric-year to load, and its cache key. */
interface BlockRequest {
  readonly metric: MetricDefinition;
  readonly year: number;
  readonly key: string;
}

/**
 * Benchmark series of a peer group from the active data source, through the shared cache: whole metric-years are
 * read through (one store round trip; the source asked once, in one call, for the metric-years missing; concurrent
 * requests share loads), then small cells fall back to broader peer groups. Already-validated input only.
 */
@Injectable()
export class BenchmarkReader {
  private readonly ttlSeconds: number;
  /** Cells with a known sample under this fall back to broader peer groups (MIN_SAMPLE_SIZE). */
  readonly minSampleSize: number;

  constructor(
    @Inject(DATA_SOURCE) private readonly source: DataSource,
    private readonly cache: ReadThroughCache,
    @Inject(benchmarksConfig.KEY) config: BenchmarksConfig,
  ) {
    this.ttlSeconds = config.cacheTtlSeconds;
    this.minSampleSize = config.minSampleSize;
  }

  /**
   * Series for already-validated metrics over an inclusive month range, one point per month the source has.
   * Reads whole metric-years from the cache (one round trip) and asks the source, in one call, only for those it
   * lacks. Concurrent requests for the same metric-year in this process share one load (single-flight).
   */
  async seriesFor(
    peers: PeerGroup,
    metrics: readonly MetricDefinition[],
    start: Month,
    end: Month,
    options: SeriesOptions = {},
  ): Promise<BenchmarkSeries[]> {
    const group: PeerGroup = {
      industry: peers.industry,
      companySize: peers.companySize,
      region: peers.region,
    };
    const years: number[] = [];
    for (let y = yearOfMonth(start); y <= yearOfMonth(end); y++) years.push(y);
    const adjusted = options.seasonallyAdjusted === true;
    // Loops, not flatMap and filter: this runs for every metric of every request.
    const requests: BlockRequest[] = [];
    for (const metric of metrics)
      for (const year of years)
        requests.push({
          metric,
          year,
          key: this.keyOf(group, metric.name, year, adjusted),
        });
    const blocks = await this.cache.getOrLoadMany<YearBlock>(
      requests.map((r) => r.key),
      (missing) =>
        this.load(
          group,
          requests.filter((r) => missing.includes(r.key)),
          adjusted,
        ),
      {
        ttlSeconds: this.ttlSeconds,
        encode: encodeYearBlock,
        decode: decodeYearBlock,
      },
    );

    return metrics.map((metric, m) => {
      const points: BenchmarkPoint[] = [];
      const warnings = new Set<string>();
      const yearNotes: YearNote[] = [];
      let last: YearBlock | undefined;
      for (let y = 0; y < years.length; y++) {
        last = blocks.get(requests[m * years.length + y].key)!;
        for (const p of last.points)
          if (p.month >= start && p.month <= end) points.push(p);
        for (const w of last.warnings) warnings.add(w);
        for (const text of last.notes) {
          warnings.add(text);
          yearNotes.push({ year: years[y], text });
        }
      }
      return {
        industry: group.industry,
        companySize: group.companySize,
        region: group.region,
        metricName: metric.name,
        unit: metric.unit,
        direction: metric.direction,
        frequency: metric.frequency,
        source: seriesSourceOf(points, metric.source),
        points,
        metadata: last!.metadata,
        warnings: [...warnings],
        ...(yearNotes.length > 0 ? { yearNotes } : {}),
      };
    });
  }

  /**
   * Series of the peer group as {@link seriesFor} gives them, except that a point whose cell has a known sample under
   * MIN_SAMPLE_SIZE is replaced by the same period of the next peer group along the fallback chain (the same size
   * nationally, then every size nationally, pooled) whose sample is large enough, or of the broadest one; such points
   * carry `peerGroup`. Broader groups are loaded only when some point needs them.
   */
  async peerSeries(
    peers: PeerGroup,
    metrics: readonly MetricDefinition[],
    start: Month,
    end: Month,
    options: SeriesOptions = {},
  ): Promise<BenchmarkSeries[]> {
    const own = await this.seriesFor(peers, metrics, start, end, options);
    const min = this.minSampleSize;
    const short = (series: BenchmarkSeries) =>
      series.points.some((p) => isUndersampled(p, min));
    const shortMetrics = metrics.filter((_m, i) => short(own[i]));
    if (shortMetrics.length === 0) return own;

    const chain = fallbackChain(peers);
    const national =
      peers.region !== 'national'
        ? await this.seriesFor(
            { ...peers, region: 'national' },
            shortMetrics,
            start,
            end,
            options,
          )
        : undefined;
    const byMonth = (series: BenchmarkSeries | undefined) =>
      new Map((series?.points ?? []).map((p) => [p.month, p]));
    const nationalByMetric = new Map(
      shortMetrics.map((m, i) => [m.name, byMonth(national?.[i])]),
    );
    // The pooled national cells are needed only where the national cell of the same size is short as well.
    const needPooled = shortMetrics.filter((m) =>
      own[metrics.indexOf(m)].points.some((p) => {
        if (!isUndersampled(p, min)) return false;
        const nat = nationalByMetric.get(m.name)!.get(p.month);
        return !nat || isUndersampled(nat, min);
      }),
    );
    const sizes =
      needPooled.length > 0
        ? await Promise.all(
            COMPANY_SIZES.map((companySize) =>
              this.seriesFor(
                { ...peers, companySize, region: 'national' },
                needPooled,
                start,
                end,
                options,
              ),
            ),
          )
        : [];

    return own.map((series, i) => {
      const metric = metrics[i];
      if (!shortMetrics.includes(metric)) return series;
      const nat = nationalByMetric.get(metric.name)!;
      const k = needPooled.indexOf(metric);
      const sizePoints = k >= 0 ? sizes.map((s) => byMonth(s[k])) : [];
      let fellBack = false;
      const points = series.points.map((point) => {
        if (!isUndersampled(point, min)) return point;
        const candidates: Array<{ level: PeerLevel; point: BenchmarkPoint }> = [
          { level: chain[0], point },
        ];
        const natPoint = nat.get(point.month);
        if (natPoint && peers.region !== 'national')
          candidates.push({ level: chain[1], point: natPoint });
        const parts = sizePoints.map((m) => m.get(point.month));
        const pooled = parts.every((p) => p !== undefined)
          ? pooledPoint(parts, metric.unit)
          : undefined;
        if (pooled)
          candidates.push({ level: chain[chain.length - 1], point: pooled });
        const chosen = chooseLevel(candidates, min)!;
        if (!chosen.level.fallback) return point;
        fellBack = true;
        return { ...chosen.point, peerGroup: chosen.level };
      });
      if (!fellBack) return series;
      return {
        ...series,
        source: seriesSourceOf(points, series.source),
        points,
        metadata: {
          ...series.metadata,
          sample_fallback: `Points whose peer group has fewer than ${min} businesses (MIN_SAMPLE_SIZE) come from a broader one: the same size nationally, then the industry nationally with every size pooled. Each point's peer_group says which.`,
        },
      };
    });
  }

  private keyOf(
    group: PeerGroup,
    metric: string,
    year: number,
    adjusted: boolean,
  ): string {
    return cacheKey(
      adjusted ? `${this.source.fingerprint}.sa` : this.source.fingerprint,
      group.industry,
      group.companySize,
      group.region,
      metric,
      year,
    );
  }

  /** The source asked once for every metric with a missing year, over the span of those years. */
  private async load(
    group: PeerGroup,
    missing: readonly BlockRequest[],
    adjusted: boolean,
  ): Promise<Map<string, Loaded<YearBlock>>> {
    const metricNames = [...new Set(missing.map((r) => r.metric.name))];
    const firstYear = Math.min(...missing.map((r) => r.year));
    const lastYear = Math.max(...missing.map((r) => r.year));
    const fetched = await this.source.getSeries({
      ...group,
      metrics: metricNames,
      start: monthOf(firstYear, 1),
      end: monthOf(lastYear, 12),
      ...(adjusted ? { seasonallyAdjusted: true } : {}),
    });
    const loaded = new Map<string, Loaded<YearBlock>>();
    for (const series of fetched) {
      for (let year = firstYear; year <= lastYear; year++) {
        const block: YearBlock = {
          points: series.points.filter((p) => yearOfMonth(p.month) === year),
          metadata: series.metadata,
          warnings: series.warnings,
          notes: (series.yearNotes ?? [])
            .filter((n) => n.year === year)
            .map((n) => n.text),
        };
        // A degraded answer is served once, not kept: the next request tries the real source again.
        loaded.set(this.keyOf(group, series.metricName, year, adjusted), {
          value: block,
          store: block.warnings.length === 0,
        });
      }
    }
    return loaded;
  }
}
