import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { BenchmarkSeries, SeriesQuery } from '../domain/benchmark';
import { findMetric } from '../domain/catalog';
import { monthOf, monthToIsoDate } from '../domain/months';
import {
  benchmarkStack as setup,
  RecordingSource,
} from '../../test/utils/benchmark-sources';

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
      const key = 'v3:recording:retail:medium:national:profit_margin:2024';
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
      const { service, cache, readThrough } = setup();
      const loading = service.getData({
        ...retail,
        metrics: ['profit_margin'],
      });
      await new Promise((r) => setTimeout(r, 1)); // the load is now waiting on the source
      await readThrough.clear();
      await loading;
      expect(cache.size).toBe(0);
    });
  });

  describe('seriesFor (cache entries)', () => {
    it("should store each metric-year in the storage codec's shape, not the API's", async () => {
      const { service, cache } = setup();
      await service.getData({
        ...retail,
        metrics: ['profit_margin'],
        startDate: '2024-01-01',
        endDate: '2024-02-01',
      });
      const [entry] = await cache.getMany<Record<string, unknown>>([
        'v3:recording:retail:medium:national:profit_margin:2024',
      ]);
      expect(entry).toMatchObject({
        notes: [],
        metadata: { generator: 'synthetic-v2' },
      });
      expect(entry).not.toHaveProperty('metric_name');
      const points = (
        entry as {
          points: Array<{ period: string; percentiles: { p10: number } }>;
        }
      ).points;
      expect(points).toHaveLength(12);
      expect(points[0].percentiles.p10).toEqual(expect.any(Number));
      expect(points[0]).not.toHaveProperty('percentile_10');
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
      const { reader, source } = setup(
        '2025-03-15T10:00:00Z',
        new NotingSource(),
      );
      const [both] = await reader.seriesFor(
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
      const [again] = await reader.seriesFor(
        peers,
        metric,
        monthOf(2022, 6),
        monthOf(2022, 8),
      );
      expect(source.queries).toHaveLength(asked); // from the cache, note included
      expect(again.warnings).toEqual(['no 2022 upstream figures']);
      const [later] = await reader.seriesFor(
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
      const { reader, source } = setup('2025-03-15T10:00:00Z', noting);
      const [degraded] = await reader.seriesFor(
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
      const [recovered] = await reader.seriesFor(
        peers,
        metric,
        monthOf(2023, 1),
        monthOf(2023, 12),
      );
      expect(source.queries).toHaveLength(asked + 1);
      expect(recovered.warnings).toEqual([]);
    });
  });
});
