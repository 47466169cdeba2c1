import { BadRequestException, NotFoundException } from '@nestjs/common';
import { MemoryCacheStore } from '../cache/memory-cache-store';
import type { Clock } from '../common/clock';
import type { DataSource } from '../data-sources/data-source.interface';
import { SyntheticDataSource } from '../data-sources/synthetic/synthetic-data-source';
import type { BenchmarkSeries, SeriesQuery } from '../domain/benchmark';
import type { IndustryDefinition } from '../domain/catalog';
import {
  COMPANY_SIZES,
  REGIONS,
  type CompanySize,
  type Region,
} from '../domain/enums';
import { findMetric } from '../domain/catalog';
import { monthOf, monthToIsoDate, periodStarts } from '../domain/months';
import {
  BenchmarksService,
  blockFromCache,
  toCacheEntry,
} from './benchmarks.service';
import { fromDataPointResponse } from './dto/benchmark-series.response.dto';

/** The synthetic source, recording every query it is sent. */
class RecordingSource implements DataSource {
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
class SampledSource implements DataSource {
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

function setup(
  now = '2025-03-15T10:00:00Z',
  source: DataSource & { queries: SeriesQuery[] } = new RecordingSource(),
  minSampleSize = 30,
) {
  const cache = new MemoryCacheStore(1000);
  const clock: Clock = { now: () => new Date(now) };
  const config = { cacheTtlSeconds: 600, minSampleSize };
  return {
    source: source as RecordingSource,
    cache,
    service: new BenchmarksService(source, cache, clock, config),
  };
}

const retail = {
  industry: 'retail',
  companySize: 'medium' as const,
  region: 'national' as const,
};
const periods = (s: BenchmarkSeries): string[] =>
  s.points.map((p) => monthToIsoDate(p.month));

describe('BenchmarksService', () => {
  describe('peerSeries', () => {
    const metric = findMetric('revenue_per_employee')!;
    const dec = monthOf(2024, 12);
    const southwestLarge = {
      industry: 'retail',
      companySize: 'large' as const,
      region: 'southwest' as const,
    };

    it('should keep the cell when its sample reaches MIN_SAMPLE_SIZE, and load nothing more', async () => {
      const source = new SampledSource({ 'large:southwest': 30 });
      const { service } = setup(undefined, source);
      const [series] = await service.peerSeries(
        southwestLarge,
        [metric],
        dec,
        dec,
      );
      expect(series.points[0].value).toBe(
        SampledSource.median('large', 'southwest'),
      );
      expect(series.points[0].peerGroup).toBeUndefined();
      expect(source.queries).toHaveLength(1);
    });

    it('should fall back to the same size nationally when the regional sample is too small', async () => {
      const source = new SampledSource({ 'large:southwest': 29 });
      const { service } = setup(undefined, source);
      const [series] = await service.peerSeries(
        southwestLarge,
        [metric],
        dec,
        dec,
      );
      expect(series.points[0].value).toBe(
        SampledSource.median('large', 'national'),
      );
      expect(series.points[0].sampleSize).toBe(200);
      expect(series.points[0].peerGroup).toEqual({
        companySize: 'large',
        region: 'national',
        fallback: true,
      });
      expect(series.metadata.sample_fallback).toContain('30');
    });

    it('should pool every size nationally when the national cell of the size is too small as well', async () => {
      const source = new SampledSource({
        'large:southwest': 20,
        'large:national': 25,
        'small:national': 100,
        'medium:national': 60,
      });
      const { service } = setup(undefined, source);
      const [series] = await service.peerSeries(
        southwestLarge,
        [metric],
        dec,
        dec,
      );
      const point = series.points[0];
      expect(point.peerGroup).toEqual({
        companySize: 'all',
        region: 'national',
        fallback: true,
      });
      expect(point.sampleSize).toBe(185);
      // The pooled median lies among the three national medians, nearer the largest sample (small firms).
      expect(point.value).toBeGreaterThan(
        SampledSource.median('small', 'national'),
      );
      expect(point.value).toBeLessThan(
        SampledSource.median('large', 'national'),
      );
    });

    it('should use the broadest group when no level reaches MIN_SAMPLE_SIZE', async () => {
      const source = new SampledSource({});
      const { service } = setup(undefined, source, 5000);
      const [series] = await service.peerSeries(
        southwestLarge,
        [metric],
        dec,
        dec,
      );
      expect(series.points[0].peerGroup?.companySize).toBe('all');
      expect(series.points[0].sampleSize).toBe(600);
    });

    it('should never fall back with MIN_SAMPLE_SIZE 0', async () => {
      const source = new SampledSource({ 'large:southwest': 1 });
      const { service } = setup(undefined, source, 0);
      const [series] = await service.peerSeries(
        southwestLarge,
        [metric],
        dec,
        dec,
      );
      expect(series.points[0].peerGroup).toBeUndefined();
    });

    it('should find the cells of the real generator that fall below 30 and replace each by a large enough group', async () => {
      const { service } = setup();
      const peers = {
        industry: 'education',
        companySize: 'large' as const,
        region: 'southwest' as const,
      };
      const metrics = [findMetric('customer_acquisition_cost')!];
      const [raw] = await service.seriesFor(
        peers,
        metrics,
        monthOf(2024, 1),
        dec,
      );
      const [used] = await service.peerSeries(
        peers,
        metrics,
        monthOf(2024, 1),
        dec,
      );
      expect(raw.points.some((p) => p.sampleSize! < 30)).toBe(true);
      used.points.forEach((p, i) => {
        if (raw.points[i].sampleSize! >= 30) expect(p).toEqual(raw.points[i]);
        else {
          expect(p.peerGroup?.fallback).toBe(true);
          expect(p.sampleSize).toBeGreaterThanOrEqual(30);
        }
      });
    });

    it('should ask the source for deseasonalised figures and cache them apart', async () => {
      const { service, source } = setup();
      const [plain] = await service.seriesFor(retail, [metric], dec, dec);
      const [adjusted] = await service.seriesFor(retail, [metric], dec, dec, {
        seasonallyAdjusted: true,
      });
      expect(source.queries.map((q) => q.seasonallyAdjusted)).toEqual([
        undefined,
        true,
      ]);
      expect(adjusted.metadata.seasonally_adjusted).toBe(true);
      // December is retail's peak: without the season the median is lower.
      expect(adjusted.points[0].value).toBeLessThan(plain.points[0].value);
      await service.seriesFor(retail, [metric], dec, dec, {
        seasonallyAdjusted: true,
      });
      expect(source.queries).toHaveLength(2);
    });
  });

  describe('getData', () => {
    it('should default to the 12 months ending with the last complete month', async () => {
      const { service } = setup('2025-03-15T10:00:00Z');
      const [series] = await service.getData({
        ...retail,
        metrics: ['profit_margin'],
      });
      expect(periods(series)[0]).toBe('2024-03-01');
      expect(periods(series)[11]).toBe('2025-02-01');
      expect(series.points).toHaveLength(12);
    });

    it('should default to every metric of the industry, in catalog order', async () => {
      const { service } = setup();
      const series = await service.getData({ ...retail });
      expect(series.map((s) => s.metricName)).toEqual([
        'revenue_per_employee',
        'profit_margin',
        'gross_margin',
        'inventory_turnover',
        'customer_acquisition_cost',
        'customer_retention_rate',
      ]);
    });

    it('should end 11 months after start_date when only start_date is given', async () => {
      const { service } = setup('2025-03-15T10:00:00Z');
      const [series] = await service.getData({
        ...retail,
        metrics: ['profit_margin'],
        startDate: '2020-05-20',
      });
      expect(periods(series)).toHaveLength(12);
      expect(periods(series)[11]).toBe('2021-04-01');
    });

    it('should stop at the last complete month when start_date is recent', async () => {
      const { service } = setup('2025-03-15T10:00:00Z');
      const [series] = await service.getData({
        ...retail,
        metrics: ['profit_margin'],
        startDate: '2024-12-01',
      });
      expect(periods(series)).toEqual([
        '2024-12-01',
        '2025-01-01',
        '2025-02-01',
      ]);
    });

    it('should start 11 months before end_date when only end_date is given', async () => {
      const { service } = setup();
      const [series] = await service.getData({
        ...retail,
        metrics: ['profit_margin'],
        endDate: '2019-06-30',
      });
      expect(periods(series)[0]).toBe('2018-07-01');
      expect(periods(series)).toHaveLength(12);
    });

    it('should refuse months after the last complete one', async () => {
      const { service } = setup('2025-03-15T10:00:00Z');
      await expect(
        service.getData({ ...retail, endDate: '2025-03-01' }),
      ).rejects.toThrow(/end_date must not be after 2025-02-01/);
    });

    it('should refuse months before 2000 and ranges over 120 months', async () => {
      const { service } = setup();
      await expect(
        service.getData({ ...retail, startDate: '1999-12-31' }),
      ).rejects.toBeInstanceOf(BadRequestException);
      await expect(
        service.getData({
          ...retail,
          startDate: '2010-01-01',
          endDate: '2020-01-01',
        }),
      ).rejects.toThrow(/spans 121 months; at most 120/);
    });

    it('should give 404 for an unknown industry or metric', async () => {
      const { service } = setup();
      await expect(
        service.getData({ ...retail, industry: 'mining' }),
      ).rejects.toBeInstanceOf(NotFoundException);
      await expect(
        service.getData({ ...retail, metrics: ['occupancy_rate'] }),
      ).rejects.toThrow(/Unknown metric "occupancy_rate" for industry retail/);
    });
  });

  describe('seriesFor (cache)', () => {
    it('should serve an overlapping request from the cache without asking the source again', async () => {
      const { service, source } = setup();
      await service.getData({
        ...retail,
        startDate: '2023-01-01',
        endDate: '2024-12-31',
      });
      expect(source.queries).toHaveLength(1);
      const [inner] = await service.getData({
        ...retail,
        metrics: ['gross_margin'],
        startDate: '2023-06-01',
        endDate: '2024-03-01',
      });
      expect(source.queries).toHaveLength(1);
      expect(periods(inner)).toHaveLength(10);
    });

    it('should fetch only the metric-years it lacks', async () => {
      const { service, source } = setup();
      await service.getData({
        ...retail,
        metrics: ['profit_margin'],
        startDate: '2024-01-01',
        endDate: '2024-12-01',
      });
      await service.getData({
        ...retail,
        metrics: ['profit_margin', 'gross_margin'],
        startDate: '2024-01-01',
        endDate: '2024-12-01',
      });
      expect(source.queries[1].metrics).toEqual(['gross_margin']);
    });

    it('should return the same numbers from the cache as from the source', async () => {
      const { service } = setup();
      const query = {
        ...retail,
        startDate: '2022-02-01',
        endDate: '2023-05-01',
      };
      const first = await service.getData(query);
      const second = await service.getData(query);
      expect(second).toEqual(first);
      const fresh = await setup().service.getData(query);
      expect(fresh).toEqual(first);
    });

    it('should keep cells apart: another size or region is a separate entry', async () => {
      const { service, source } = setup();
      await service.getData({ ...retail, metrics: ['profit_margin'] });
      await service.getData({
        ...retail,
        companySize: 'small',
        metrics: ['profit_margin'],
      });
      await service.getData({
        ...retail,
        region: 'west',
        metrics: ['profit_margin'],
      });
      expect(source.queries).toHaveLength(3);
    });

    it('should store entries with a TTL and ask the source again once they expire or are cleared', async () => {
      const { service, source, cache } = setup();
      await service.getData({ ...retail, metrics: ['profit_margin'] });
      await cache.clear();
      await service.getData({ ...retail, metrics: ['profit_margin'] });
      expect(source.queries).toHaveLength(2);
    });
  });

  describe('seriesFor (single-flight)', () => {
    it('should load a metric-year once when concurrent requests miss it together', async () => {
      const { service, source } = setup();
      const query = {
        ...retail,
        metrics: ['profit_margin'],
        startDate: '2024-01-01',
        endDate: '2024-06-01',
      };
      const results = await Promise.all(
        Array.from({ length: 20 }, () => service.getData(query)),
      );
      expect(source.queries).toHaveLength(1);
      for (const r of results) expect(r).toEqual(results[0]);
    });

    it('should let overlapping concurrent requests share the loads they have in common', async () => {
      const { service, source } = setup();
      await Promise.all([
        service.getData({
          ...retail,
          metrics: ['profit_margin'],
          startDate: '2023-01-01',
          endDate: '2024-12-01',
        }),
        service.getData({
          ...retail,
          metrics: ['profit_margin', 'gross_margin'],
          startDate: '2024-01-01',
          endDate: '2024-12-01',
        }),
      ]);
      // The second request joins profit_margin/2024 and loads only gross_margin/2024.
      expect(source.queries).toHaveLength(2);
      expect(source.queries[1].metrics).toEqual(['gross_margin']);
    });

    it('should give every waiter the error of a failed load, then try again on the next request', async () => {
      const { service, source } = setup();
      source.failWith = new Error('upstream down');
      const query = { ...retail, metrics: ['profit_margin'] };
      const outcomes = await Promise.allSettled([
        service.getData(query),
        service.getData(query),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect(source.queries).toHaveLength(1);
      source.failWith = undefined;
      await expect(service.getData(query)).resolves.toHaveLength(1);
      expect(source.queries).toHaveLength(2);
    });
  });

  describe('seriesFor (failures)', () => {
    it('should fail overlapping requests cleanly when the load they share fails, without an unhandled rejection', async () => {
      const { service, source } = setup();
      source.failWith = new Error('upstream down');
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const outcomes = await Promise.allSettled([
          service.getData({ ...retail, metrics: ['profit_margin'] }),
          service.getData({
            ...retail,
            metrics: ['profit_margin', 'gross_margin'],
          }),
        ]);
        await new Promise((r) => setTimeout(r, 20));
        expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      source.failWith = undefined;
      await expect(
        service.getData({ ...retail, metrics: ['gross_margin'] }),
      ).resolves.toHaveLength(1);
    });

    it('should take a cached value of the wrong shape as a miss', async () => {
      const { service, cache, source } = setup();
      const key = 'v2:recording:retail:medium:national:profit_margin:2024';
      await cache.setMany([[key, {}]], 60);
      const [series] = await service.getData({
        ...retail,
        metrics: ['profit_margin'],
        startDate: '2024-01-01',
        endDate: '2024-03-01',
      });
      expect(series.points).toHaveLength(3);
      expect(source.queries).toHaveLength(1);
    });

    it('should not write back a load that a clear overtook', async () => {
      const { service, cache } = setup();
      const loading = service.getData({
        ...retail,
        metrics: ['profit_margin'],
      });
      await new Promise((r) => setTimeout(r, 1)); // the load is now waiting on the source
      await cache.clear();
      await loading;
      expect(cache.size).toBe(0);
    });
  });

  describe('seriesFor (cache entries)', () => {
    it("should store each metric-year as a series in the API's own shape", async () => {
      const { service, cache } = setup();
      await service.getData({
        ...retail,
        metrics: ['profit_margin'],
        startDate: '2024-01-01',
        endDate: '2024-02-01',
      });
      const [entry] = await cache.getMany<Record<string, unknown>>([
        'v2:recording:retail:medium:national:profit_margin:2024',
      ]);
      expect(entry).toMatchObject({
        metric_name: 'profit_margin',
        industry: 'retail',
        company_size: 'medium',
        source: 'synthetic',
      });
      const points = (entry as { data_points: Array<{ period: string }> })
        .data_points;
      expect(points).toHaveLength(12);
      expect(points[0]).toHaveProperty('percentile_10');
      expect(points[11].period).toBe('2024-12-01');
    });
  });

  describe('seriesFor (year notes and warnings)', () => {
    /** A source whose series carry a year note on 2022 and, while `failing`, a warning of degradation. */
    class NotingSource extends RecordingSource {
      failing = false;
      async getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
        const series = await super.getSeries(query);
        return series.map((s) => ({
          ...s,
          warnings: this.failing ? ['upstream down: stand-ins'] : [],
          yearNotes: [{ year: 2022, text: 'no 2022 upstream figures' }],
        }));
      }
    }
    const metric = [findMetric('profit_margin')!];
    const peers = {
      industry: 'retail',
      companySize: 'small',
      region: 'west',
    } as const;

    it('should cache a year note with its year and show it only for ranges that include that year', async () => {
      const { service, source } = setup(
        '2025-03-15T10:00:00Z',
        new NotingSource(),
      );
      const [both] = await service.seriesFor(
        peers,
        metric,
        monthOf(2022, 1),
        monthOf(2023, 12),
      );
      expect(both.warnings).toEqual(['no 2022 upstream figures']);
      expect(both.yearNotes).toEqual([
        { year: 2022, text: 'no 2022 upstream figures' },
      ]);
      const asked = source.queries.length;
      const [again] = await service.seriesFor(
        peers,
        metric,
        monthOf(2022, 6),
        monthOf(2022, 8),
      );
      expect(source.queries).toHaveLength(asked); // from the cache, note included
      expect(again.warnings).toEqual(['no 2022 upstream figures']);
      const [later] = await service.seriesFor(
        peers,
        metric,
        monthOf(2023, 1),
        monthOf(2023, 12),
      );
      expect(later.warnings).toEqual([]);
      expect(later.yearNotes).toBeUndefined();
    });

    it('should serve a degraded answer with its warning but not cache it, and keep its year notes apart', async () => {
      const noting = new NotingSource();
      noting.failing = true;
      const { service, source } = setup('2025-03-15T10:00:00Z', noting);
      const [degraded] = await service.seriesFor(
        peers,
        metric,
        monthOf(2022, 1),
        monthOf(2023, 12),
      );
      expect(degraded.warnings).toEqual([
        'upstream down: stand-ins',
        'no 2022 upstream figures',
      ]);
      noting.failing = false;
      const asked = source.queries.length;
      const [recovered] = await service.seriesFor(
        peers,
        metric,
        monthOf(2023, 1),
        monthOf(2023, 12),
      );
      expect(source.queries).toHaveLength(asked + 1);
      expect(recovered.warnings).toEqual([]);
    });
  });

  describe('resolveMonth', () => {
    it('should default to the last complete month and name the field in errors', () => {
      const { service } = setup('2025-01-02T00:00:00Z');
      expect(monthToIsoDate(service.resolveMonth(undefined, 'period'))).toBe(
        '2024-12-01',
      );
      expect(monthToIsoDate(service.resolveMonth('2024-07-19', 'period'))).toBe(
        '2024-07-01',
      );
      expect(() => service.resolveMonth('2025-01-01', 'period')).toThrow(
        /period must not be after 2024-12-01/,
      );
    });
  });
});

describe('toCacheEntry', () => {
  const series: BenchmarkSeries = {
    industry: 'retail',
    companySize: 'large',
    region: 'southwest',
    metricName: 'profit_margin',
    unit: 'fraction',
    direction: 'higher_is_better',
    frequency: 'monthly',
    source: 'synthetic',
    metadata: {},
    warnings: [],
    points: [
      {
        month: monthOf(2024, 1),
        value: 0.05,
        percentiles: { p10: -0.01, p25: 0.02, p50: 0.05, p75: 0.08, p90: 0.11 },
        sampleSize: 120,
        source: 'synthetic',
      },
      {
        month: monthOf(2024, 2),
        value: 0.04,
        percentiles: { p10: -0.02, p25: 0.01, p50: 0.04, p75: 0.07, p90: 0.1 },
        sampleSize: 85,
        source: 'synthetic',
        peerGroup: { companySize: 'large', region: 'national', fallback: true },
      },
    ],
  };

  it('should store peer_group only on points that fell back, and read both back as they were', () => {
    const entry = toCacheEntry(series, series);
    expect(entry.data_points.map((p) => p.peer_group)).toEqual([
      undefined,
      { company_size: 'large', region: 'national', fallback: true },
    ]);
    expect(entry.data_points[0]).not.toHaveProperty('peer_group');
    expect(entry.data_points.map(fromDataPointResponse)).toEqual(series.points);
  });

  it('should decode a cached entry once per entry object, and a fresh copy (as Redis gives) to the same block', () => {
    const entry = toCacheEntry(series, series);
    const block = blockFromCache(entry)!;
    expect(block.points).toEqual(series.points);
    expect(blockFromCache(entry)).toBe(block);
    const copy = blockFromCache(JSON.parse(JSON.stringify(entry)));
    expect(copy).not.toBe(block);
    expect(copy).toEqual(block);
    expect(blockFromCache({ ...entry, data_points: [{}] })).toBeUndefined();
    expect(blockFromCache('v2')).toBeUndefined();
  });
});
