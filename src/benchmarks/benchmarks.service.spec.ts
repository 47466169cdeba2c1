import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MemoryCacheStore } from '../cache/memory-cache-store';
import type { Clock } from '../common/clock';
import type { DataSource } from '../data-sources/data-source.interface';
import { SyntheticDataSource } from '../data-sources/synthetic/synthetic-data-source';
import type { BenchmarkSeries, SeriesQuery } from '../domain/benchmark';
import type { IndustryDefinition } from '../domain/catalog';
import type { EnvironmentVariables } from '../config/env.validation';
import { monthToIsoDate } from '../domain/months';
import { BenchmarksService } from './benchmarks.service';

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

function setup(now = '2025-03-15T10:00:00Z') {
  const source = new RecordingSource();
  const cache = new MemoryCacheStore(1000);
  const clock: Clock = { now: () => new Date(now) };
  const config = new ConfigService<EnvironmentVariables, true>({
    CACHE_TTL_SECONDS: 600,
  });
  return {
    source,
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
