import { BenchmarkReader } from '../../src/benchmarks/benchmark-reader';
import { BenchmarksService } from '../../src/benchmarks/benchmarks.service';
import { MemoryCacheStore } from '../../src/cache/memory-cache-store';
import { ReadThroughCache } from '../../src/cache/read-through';
import type { Clock } from '../../src/common/clock';
import type { DataSource } from '../../src/data-sources/data-source.interface';
import { SyntheticDataSource } from '../../src/data-sources/synthetic/synthetic-data-source';
import type { BenchmarkSeries, SeriesQuery } from '../../src/domain/benchmark';
import type { IndustryDefinition } from '../../src/domain/catalog';
import {
  COMPANY_SIZES,
  REGIONS,
  type CompanySize,
  type Region,
} from '../../src/domain/enums';
import { periodStarts } from '../../src/domain/months';
import { IndustriesService } from '../../src/industries/industries.service';

/** The synthetic source, recording every query it is sent. */
export class RecordingSource implements DataSource {
  readonly name = 'synthetic' as const;
  readonly fingerprint = 'recording';
  readonly queries: SeriesQuery[] = [];
  /** Set to make the next calls fail, as a source whose upstream is down. */
  failWith?: Error;
  private readonly inner = new SyntheticDataSource(1);

  metricNames(industry: IndustryDefinition): readonly string[] {
    return this.inner.metricNames(industry);
  }

  async getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    this.queries.push(query);
    // A real source answers after some I/O: let concurrent callers interleave.
    await new Promise((r) => setTimeout(r, 5));
    if (this.failWith) throw this.failWith;
    return this.inner.getSeries(query);
  }
}

/**
 * A source whose cells have the sample sizes given by "size:region" (default 200) and percentiles that tell the
 * cells apart: the median is 100 + 10 x the size's index + the region's index.
 */
export class SampledSource implements DataSource {
  readonly name = 'synthetic' as const;
  readonly fingerprint = 'sampled';
  readonly queries: SeriesQuery[] = [];
  constructor(private readonly samples: Record<string, number>) {}

  metricNames(industry: IndustryDefinition): readonly string[] {
    return industry.metrics;
  }

  static median(size: string, region: string): number {
    return (
      100 +
      10 * COMPANY_SIZES.indexOf(size as CompanySize) +
      REGIONS.indexOf(region as Region)
    );
  }

  getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    this.queries.push(query);
    const median = SampledSource.median(query.companySize, query.region);
    const n = this.samples[`${query.companySize}:${query.region}`] ?? 200;
    return Promise.resolve(
      query.metrics.map((metricName) => ({
        industry: query.industry,
        companySize: query.companySize,
        region: query.region,
        metricName,
        unit: 'usd',
        direction: 'higher_is_better',
        frequency: 'monthly',
        source: 'synthetic',
        points: periodStarts('monthly', query.start, query.end).map(
          (month) => ({
            month,
            value: median,
            percentiles: {
              p10: median - 20,
              p25: median - 10,
              p50: median,
              p75: median + 10,
              p90: median + 20,
            },
            sampleSize: n,
            source: 'synthetic',
          }),
        ),
        metadata: {},
        warnings: [],
      })),
    );
  }
}

/**
 * The benchmark stack as the app assembles it (catalog lookup, read-through on an in-process store, reader, data
 * service) on a source that records its queries, with "now" pinned.
 */
export function benchmarkStack(
  now = '2025-03-15T10:00:00Z',
  source: DataSource & { queries: SeriesQuery[] } = new RecordingSource(),
  minSampleSize = 30,
) {
  const cache = new MemoryCacheStore(1000);
  const readThrough = new ReadThroughCache(cache);
  const clock: Clock = { now: () => new Date(now) };
  const industries = new IndustriesService(source);
  const reader = new BenchmarkReader(source, readThrough, {
    cacheTtlSeconds: 600,
    minSampleSize,
  });
  return {
    source: source as RecordingSource,
    cache,
    readThrough,
    clock,
    industries,
    reader,
    service: new BenchmarksService(industries, reader, clock),
  };
}
