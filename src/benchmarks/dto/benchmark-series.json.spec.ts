import { SyntheticDataSource } from '../../data-sources/synthetic/synthetic-data-source';
import type { BenchmarkSeries } from '../../domain/benchmark';
import { INDUSTRIES } from '../../domain/catalog';
import { monthOf } from '../../domain/months';
import {
  CachedPoint,
  decodeYearBlock,
  encodeYearBlock,
} from '../year-block.codec';
import { seriesResponseJson } from './benchmark-series.json';
import { toSeriesResponse } from './benchmark-series.response.dto';

/** The series as the cache gives it back: its points decoded, so they bring their fields' JSON. */
function fromCache(series: BenchmarkSeries): BenchmarkSeries {
  const block = decodeYearBlock(
    JSON.parse(
      JSON.stringify(encodeYearBlock({ ...series, warnings: [], notes: [] })),
    ),
  )!;
  return { ...series, points: block.points };
}

describe('seriesResponseJson', () => {
  const source = new SyntheticDataSource(7);
  const seriesOf = (
    industry: string,
    companySize: 'small' | 'medium' | 'large',
    region: 'national' | 'west',
  ) =>
    source.getSeries({
      industry,
      companySize,
      region,
      metrics: source.metricNames(INDUSTRIES.find((i) => i.key === industry)!),
      start: monthOf(2023, 1),
      end: monthOf(2024, 12),
    });

  it('should write exactly what JSON.stringify writes of the response, for every industry, fresh and cached, twice over', async () => {
    for (const industry of INDUSTRIES) {
      const fresh = await seriesOf(industry.key, 'large', 'west');
      const cached = fresh.map(fromCache);
      expect(cached[0].points[0]).toBeInstanceOf(CachedPoint);
      const expected = JSON.stringify(fresh.map(toSeriesResponse));
      expect(JSON.stringify(cached.map(toSeriesResponse))).toBe(expected);
      expect(seriesResponseJson(fresh)).toBe(expected);
      expect(seriesResponseJson(cached)).toBe(expected);
      expect(seriesResponseJson(cached)).toBe(expected); // from the points' kept JSON
    }
  });

  it('should write fallback points, mean-only points and empty series as they are', () => {
    const base = {
      industry: 'retail',
      companySize: 'large',
      region: 'west',
      metricName: 'profit_margin',
      unit: 'fraction',
      direction: 'higher_is_better',
      frequency: 'monthly',
      source: 'mixed',
      metadata: { note: 'a "data_points":[] lookalike', frequency: 'x' },
      warnings: ['w "1"'],
    } as const;
    const series: BenchmarkSeries[] = [
      {
        ...base,
        points: [
          {
            month: monthOf(2024, 1),
            value: 0.05,
            percentiles: null,
            sampleSize: 12,
            source: 'bls',
            peerGroup: {
              companySize: 'large',
              region: 'national',
              fallback: true,
            },
          },
          {
            month: monthOf(2024, 2),
            value: -0.01,
            percentiles: { p10: -1, p25: 0, p50: 0.1, p75: 0.2, p90: 0.3 },
            sampleSize: 300,
            source: 'synthetic',
          },
        ],
      },
      { ...base, metricName: 'gross_margin', points: [] },
    ];
    expect(seriesResponseJson(series)).toBe(
      JSON.stringify(series.map(toSeriesResponse)),
    );
  });

  it('should write a cached point in the context of each series it is sent in', () => {
    const point = new CachedPoint(monthOf(2024, 3), 10, null, 40, 'synthetic');
    const of = (region: 'west' | 'national'): BenchmarkSeries => ({
      industry: 'retail',
      companySize: 'small',
      region,
      metricName: 'inventory_turnover',
      unit: 'turns_per_year',
      direction: 'higher_is_better',
      frequency: 'monthly',
      source: 'synthetic',
      metadata: {},
      warnings: [],
      points: [point],
    });
    for (const region of ['west', 'national', 'west'] as const)
      expect(seriesResponseJson([of(region)])).toBe(
        JSON.stringify([toSeriesResponse(of(region))]),
      );
  });
});
