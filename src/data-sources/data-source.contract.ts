import { findIndustry, industryMetrics } from '../domain/catalog';
import { monthOf } from '../domain/months';
import type { DataSource } from './data-source.interface';

/**
 * The behaviour every {@link DataSource} implementation must have. Call it from the implementation's spec with a
 * factory for a ready instance and the industry and metrics that instance serves.
 */
export function describeDataSourceContract(
  name: string,
  create: () => Promise<DataSource> | DataSource,
  served: { industry: string; metrics: string[] },
): void {
  describe(`${name} (DataSource contract)`, () => {
    const start = monthOf(2023, 11);
    const end = monthOf(2024, 4);
    const query = {
      industry: served.industry,
      companySize: 'medium' as const,
      region: 'national' as const,
      metrics: served.metrics,
      start,
      end,
    };

    it('should return one series per requested metric, in request order, labelled with the peer group', async () => {
      const source = await create();
      const series = await source.getSeries({
        ...query,
        metrics: [...served.metrics].reverse(),
      });
      expect(series.map((s) => s.metricName)).toEqual(
        [...served.metrics].reverse(),
      );
      for (const s of series) {
        expect(s).toMatchObject({
          industry: served.industry,
          companySize: 'medium',
          region: 'national',
        });
        expect(s.source).toBe(source.name);
      }
    });

    it('should return at most one point per month of the range, oldest first, each with its source', async () => {
      const source = await create();
      for (const s of await source.getSeries(query)) {
        const months = s.points.map((p) => p.month);
        expect(months).toEqual([...new Set(months)].sort((a, b) => a - b));
        for (const p of s.points) {
          expect(p.month).toBeGreaterThanOrEqual(start);
          expect(p.month).toBeLessThanOrEqual(end);
          expect(typeof p.source).toBe('string');
          expect(p.sampleSize).toBeGreaterThan(0);
        }
      }
    });

    it("should describe each series with the catalog's unit and direction", async () => {
      const source = await create();
      const definitions = industryMetrics(findIndustry(served.industry)!);
      for (const s of await source.getSeries(query)) {
        const definition = definitions.find((d) => d.name === s.metricName)!;
        expect(s.unit).toBe(definition.unit);
        expect(s.direction).toBe(definition.direction);
      }
    });

    it('should give the same numbers when asked twice', async () => {
      const source = await create();
      expect(await source.getSeries(query)).toEqual(
        await source.getSeries(query),
      );
    });

    it('should have a fingerprint for cache keys', async () => {
      const source = await create();
      expect(source.fingerprint).toMatch(/^[A-Za-z0-9._-]+$/);
    });
  });
}
