import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import {
  CACHE_STORE,
  cacheKey,
  type CacheStore,
} from '../cache/cache-store.interface';
import { requireIndustry, requireMetrics } from '../industries/catalog-lookup';
import { Clock } from '../common/clock';
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
import type { IndustryDefinition, MetricDefinition } from '../domain/catalog';
import { COMPANY_SIZES } from '../domain/enums';
import {
  chooseLevel,
  fallbackChain,
  isUndersampled,
  pooledPoint,
  type PeerLevel,
} from '../domain/peer-fallback';
import {
  fromDataPointResponse,
  toSeriesResponse,
  type BenchmarkSeriesDto,
  type StoredDataPoint,
} from './dto/benchmark-series.response.dto';
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

/** How series are asked for beyond their peer group and range. */
export interface SeriesOptions {
  /** Deseasonalised benchmarks (see SeriesQuery.seasonallyAdjusted); cached apart from the unadjusted ones. */
  readonly seasonallyAdjusted?: boolean;
}

/** One metric of one peer group for one calendar year: the unit the cache stores. */
export interface YearBlock {
  readonly points: readonly BenchmarkPoint[];
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Non-empty when the source degraded (synthetic stand-ins): such blocks are served but never cached. */
  readonly warnings: readonly string[];
  /** The source's year notes for this year: stable warnings, cached with the block. */
  readonly notes: readonly string[];
}

/**
 * What the cache holds for a metric-year: the series in the API's own shape (snake_case, readable with
 * `redis-cli GET`), restricted to that year's points, with the year's notes as its `warnings` (a degraded block,
 * the only kind with warnings of its own, is never cached). A point keeps `peer_group` only where it fell back to a
 * broader group; without it, it describes the series' own cell (a quarter less to store and to read per entry).
 */
type CacheEntry = Omit<BenchmarkSeriesDto, 'data_points'> & {
  data_points: StoredDataPoint[];
};

export function toCacheEntry(
  series: BenchmarkSeries,
  block: Pick<YearBlock, 'points' | 'metadata'> & { notes?: readonly string[] },
): CacheEntry {
  const wire = toSeriesResponse({
    ...series,
    source: seriesSourceOf(block.points, series.source),
    points: block.points,
    metadata: block.metadata,
    warnings: block.notes ?? [],
  });
  return {
    ...wire,
    data_points: wire.data_points.map(({ peer_group, ...point }) =>
      peer_group.fallback ? { ...point, peer_group } : point,
    ),
  };
}

/** Whether a cached value has the shape this version writes. */
function isCacheEntry(value: unknown): value is CacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<CacheEntry>;
  return (
    Array.isArray(entry.data_points) &&
    Array.isArray(entry.warnings) &&
    typeof entry.metadata === 'object' &&
    entry.metadata !== null &&
    entry.data_points.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        typeof p.period === 'string' &&
        /^\d{4}-\d{2}-01$/.test(p.period) &&
        typeof p.value === 'number' &&
        typeof p.source === 'string',
    )
  );
}

function fromCacheEntry(entry: CacheEntry): YearBlock {
  return {
    points: entry.data_points.map(fromDataPointResponse),
    metadata: entry.metadata,
    warnings: [],
    notes: entry.warnings,
  };
}

/**
 * Blocks already checked and decoded, by the cache value they came from. The in-process store hands back the same
 * object on every hit, so each entry is checked and decoded once instead of on every request; Redis gives a fresh
 * object per read, which is decoded as before. Entries are never changed in place (the stores replace them), and a
 * dropped entry takes its block with it.
 */
const decodedBlocks = new WeakMap<object, YearBlock>();

/** The block a cached value holds, or undefined when the value is not an entry of this version. */
export function blockFromCache(value: unknown): YearBlock | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const known = decodedBlocks.get(value);
  if (known) return known;
  if (!isCacheEntry(value)) return undefined;
  const block = fromCacheEntry(value);
  decodedBlocks.set(value, block);
  return block;
}

/** A block of one metric-year to load, and its cache key. */
interface BlockRequest {
  readonly metric: MetricDefinition;
  readonly year: number;
  readonly key: string;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Waiters may never come; a rejection nobody awaits must not become an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Benchmark series from the active data source, through the shared cache. Entries are one per
 * source/industry/size/region/metric/year, so overlapping requests share them whatever range they ask for.
 */
@Injectable()
export class BenchmarksService {
  private readonly ttlSeconds: number;
  /** Cells with a known sample under this fall back to broader peer groups (MIN_SAMPLE_SIZE). */
  readonly minSampleSize: number;
  /** Loads in flight in this process, by cache key: concurrent misses on one key compute once. */
  private readonly inflight = new Map<string, Promise<YearBlock>>();

  constructor(
    @Inject(DATA_SOURCE) private readonly source: DataSource,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
    private readonly clock: Clock,
    @Inject(benchmarksConfig.KEY) config: BenchmarksConfig,
  ) {
    this.ttlSeconds = config.cacheTtlSeconds;
    this.minSampleSize = config.minSampleSize;
  }

  /** The most recent month with benchmarks: the last complete month. */
  latestMonth(): Month {
    return lastCompleteMonth(this.clock.now());
  }

  /**
   * The named metrics of the industry that the data source serves (all of them when none are named), or a 404
   * naming the unknown ones and the source.
   */
  metricsFor(
    industry: IndustryDefinition,
    names?: readonly string[],
  ): MetricDefinition[] {
    return requireMetrics(industry, this.source, names);
  }

  /** Series for a data request: 404 for an unknown industry or metric, 400 for a range the service cannot serve. */
  async getData(query: DataQuery): Promise<BenchmarkSeries[]> {
    const industry = requireIndustry(query.industry);
    const metrics = this.metricsFor(industry, query.metrics);
    const { start, end } = this.resolveRange(query.startDate, query.endDate);
    return this.peerSeries(query, metrics, start, end);
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
    const blocks = await this.loadBlocks(group, requests, adjusted);

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

  /** Every requested block: joined from a load in flight, read from the cache, or fetched from the source. */
  private async loadBlocks(
    group: PeerGroup,
    requests: readonly BlockRequest[],
    adjusted: boolean,
  ): Promise<Map<string, YearBlock>> {
    const blocks = new Map<string, YearBlock>();
    const joined: Array<Promise<void>> = [];
    const mine = new Map<string, Deferred<YearBlock>>();
    const toLoad: BlockRequest[] = [];
    for (const request of requests) {
      const pending = this.inflight.get(request.key);
      if (pending) {
        joined.push(
          pending.then((block) => void blocks.set(request.key, block)),
        );
      } else if (!mine.has(request.key)) {
        const d = deferred<YearBlock>();
        mine.set(request.key, d);
        this.inflight.set(request.key, d.promise);
        toLoad.push(request);
      }
    }
    // Handled from the start: a joined load may fail while this request is still busy with its own.
    const others = Promise.all(joined);
    others.catch(() => undefined);

    if (toLoad.length > 0) {
      const clearsBefore = this.cache.clears;
      try {
        const found = await this.cache.getMany<unknown>(
          toLoad.map((r) => r.key),
        );
        const missing: BlockRequest[] = [];
        toLoad.forEach((request, i) => {
          // An entry of another shape (written by hand, or by a buggy version) is a miss, not a crash.
          const block = blockFromCache(found[i]);
          if (block) this.settle(blocks, mine, request.key, block);
          else missing.push(request);
        });
        if (missing.length > 0) {
          await this.fetchMissing(
            group,
            missing,
            blocks,
            mine,
            clearsBefore,
            adjusted,
          );
        }
        for (const [key, d] of mine) {
          if (!blocks.has(key)) {
            d.reject(
              new Error(`the data source returned no series for ${key}`),
            );
          }
        }
      } catch (error) {
        for (const d of mine.values()) d.reject(error);
        throw error;
      } finally {
        for (const [key, d] of mine) {
          if (this.inflight.get(key) === d.promise) this.inflight.delete(key);
        }
      }
      for (const key of mine.keys()) {
        if (!blocks.has(key))
          throw new Error(`the data source returned no series for ${key}`);
      }
    }
    await others;
    return blocks;
  }

  /** One source call for every metric with a missing year, over the span of those years; all of it is cached. */
  private async fetchMissing(
    group: PeerGroup,
    missing: readonly BlockRequest[],
    blocks: Map<string, YearBlock>,
    mine: Map<string, Deferred<YearBlock>>,
    clearsBefore: number,
    adjusted: boolean,
  ): Promise<void> {
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
    const writes: Array<[string, CacheEntry]> = [];
    for (const series of fetched) {
      for (let year = firstYear; year <= lastYear; year++) {
        const key = this.keyOf(group, series.metricName, year, adjusted);
        const block: YearBlock = {
          points: series.points.filter((p) => yearOfMonth(p.month) === year),
          metadata: series.metadata,
          warnings: series.warnings,
          notes: (series.yearNotes ?? [])
            .filter((n) => n.year === year)
            .map((n) => n.text),
        };
        // A degraded answer is served once, not kept: the next request tries the real source again.
        if (block.warnings.length === 0)
          writes.push([key, toCacheEntry(series, block)]);
        if (mine.has(key)) this.settle(blocks, mine, key, block);
      }
    }
    // A clear that happened while this load ran must not be undone by writing what was loaded before it.
    if (this.cache.clears === clearsBefore)
      await this.cache.setMany(writes, this.ttlSeconds);
  }

  private settle(
    blocks: Map<string, YearBlock>,
    mine: Map<string, Deferred<YearBlock>>,
    key: string,
    block: YearBlock,
  ): void {
    blocks.set(key, block);
    mine.get(key)?.resolve(block);
  }
}
