import { findMetric } from '../domain/catalog';
import { monthOf } from '../domain/months';
import {
  benchmarkStack as setup,
  SampledSource,
} from '../../test/utils/benchmark-sources';

const retail = {
  industry: 'retail',
  companySize: 'medium' as const,
  region: 'national' as const,
};

describe('BenchmarkReader', () => {
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
      const { reader } = setup(undefined, source);
      const [series] = await reader.peerSeries(
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
      const { reader } = setup(undefined, source);
      const [series] = await reader.peerSeries(
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
      const { reader } = setup(undefined, source);
      const [series] = await reader.peerSeries(
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
      const { reader } = setup(undefined, source, 5000);
      const [series] = await reader.peerSeries(
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
      const { reader } = setup(undefined, source, 0);
      const [series] = await reader.peerSeries(
        southwestLarge,
        [metric],
        dec,
        dec,
      );
      expect(series.points[0].peerGroup).toBeUndefined();
    });

    it('should find the cells of the real generator that fall below 30 and replace each by a large enough group', async () => {
      const { reader } = setup();
      const peers = {
        industry: 'education',
        companySize: 'large' as const,
        region: 'southwest' as const,
      };
      const metrics = [findMetric('customer_acquisition_cost')!];
      const [raw] = await reader.seriesFor(
        peers,
        metrics,
        monthOf(2024, 1),
        dec,
      );
      const [used] = await reader.peerSeries(
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
      const { reader, source } = setup();
      const [plain] = await reader.seriesFor(retail, [metric], dec, dec);
      const [adjusted] = await reader.seriesFor(retail, [metric], dec, dec, {
        seasonallyAdjusted: true,
      });
      expect(source.queries.map((q) => q.seasonallyAdjusted)).toEqual([
        undefined,
        true,
      ]);
      expect(adjusted.metadata.seasonally_adjusted).toBe(true);
      // December is retail's peak: without the season the median is lower.
      expect(adjusted.points[0].value).toBeLessThan(plain.points[0].value);
      await reader.seriesFor(retail, [metric], dec, dec, {
        seasonallyAdjusted: true,
      });
      expect(source.queries).toHaveLength(2);
    });
  });
});
