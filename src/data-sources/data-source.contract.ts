import { seriesSourceOf } from '../domain/benchmark';
import { findIndustry, findMetric } from '../domain/catalog';
import { monthOf, periodEnd } from '../domain/months';
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
        // The series says honestly where its points came from.
        expect(s.source).toBe(seriesSourceOf(s.points, s.source));
      }
    });

    it('should return at most one point per period overlapping the range, oldest first, each with its source', async () => {
      const source = await create();
      for (const s of await source.getSeries(query)) {
        const months = s.points.map((p) => p.month);
        expect(months).toEqual([...new Set(months)].sort((a, b) => a - b));
        for (const p of s.points) {
          expect(periodEnd(s.frequency, p.month)).toBeGreaterThanOrEqual(start);
          expect(p.month).toBeLessThanOrEqual(end);
          // Its metric's own source, or a labelled synthetic stand-in.
          expect(['synthetic', findMetric(s.metricName)!.source]).toContain(
            p.source,
          );
          if (p.percentiles) expect(p.value).toBe(p.percentiles.p50);
          if (p.sampleSize !== null) expect(p.sampleSize).toBeGreaterThan(0);
        }
      }
    });

    it("should describe each series with the catalog's unit, direction and frequency", async () => {
      const source = await create();
      for (const s of await source.getSeries(query)) {
        const definition = findMetric(s.metricName)!;
        expect(s.unit).toBe(definition.unit);
        expect(s.direction).toBe(definition.direction);
        expect(s.frequency).toBe(definition.frequency);
        expect(s.metadata.frequency).toBe(definition.frequency);
        expect(Array.isArray(s.warnings)).toBe(true);
      }
    });

    it('should serve every metric it lists for the industry', async () => {
      const source = await create();
      const industry = findIndustry(served.industry)!;
      for (const name of served.metrics)
        expect(source.metricNames(industry)).toContain(name);
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
