import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { DataSource } from '../data-sources/data-source.interface';
import { SyntheticDataSource } from '../data-sources/synthetic/synthetic-data-source';
import type { BenchmarkSeries, SeriesQuery } from '../domain/benchmark';
import { findMetric, type IndustryDefinition } from '../domain/catalog';
import {
  monthOf,
  monthToIsoDate,
  periodStarts,
  yearOfMonth,
} from '../domain/months';
import { benchmarkStack } from '../../test/utils/benchmark-sources';
import { ComparisonService } from './comparison.service';

const NOTE = 'average_annual_pay: no upstream figures before 2022';

/**
 * The synthetic metrics, plus an annual mean-only metric published for 2022 and 2023 only, with a year note on the
 * years before: the shape of a BLS metric in blended mode.
 */
class BlendedLikeSource implements DataSource {
  readonly name = 'blended' as const;
  readonly fingerprint = 'blended-like';
  readonly queries: SeriesQuery[] = [];
  private readonly synthetic = new SyntheticDataSource(3);

  metricNames(industry: IndustryDefinition): readonly string[] {
    return [...industry.metrics, 'average_annual_pay'];
  }

  async getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    this.queries.push(query);
    const pay = findMetric('average_annual_pay')!;
    const others = query.metrics.filter((m) => m !== pay.name);
    const synthetic = others.length
      ? await this.synthetic.getSeries({ ...query, metrics: others })
      : [];
    const years = periodStarts('annual', query.start, query.end);
    const annual: BenchmarkSeries = {
      industry: query.industry,
      companySize: query.companySize,
      region: query.region,
      metricName: pay.name,
      unit: pay.unit,
      direction: pay.direction,
      frequency: 'annual',
      source: 'bls',
      points: years
        .filter((m) => [2022, 2023].includes(yearOfMonth(m)))
        .map((month) => ({
          month,
          value: 40000 + 1000 * (yearOfMonth(month) - 2000),
          percentiles: null,
          sampleSize: null,
          source: 'bls' as const,
        })),
      metadata: { frequency: 'annual', statistic: 'mean' },
      warnings: [],
      yearNotes: years
        .map(yearOfMonth)
        .filter((y) => y < 2022)
        .map((year) => ({ year, text: NOTE })),
    };
    return query.metrics.map(
      (name) =>
        [...synthetic, annual].find((s) => s.metricName === name) ?? annual,
    );
  }
}

const CENSUS_NOTE =
  'receipts_per_employee: the Census Annual Business Survey 2021 figure carries relative standard error about 24% (over 20%): a rough estimate';

/** A Census metric published for 2021 only: 50 months before February 2025, past the 36 months of BLS metrics. */
class CensusLikeSource extends BlendedLikeSource {
  override metricNames(industry: IndustryDefinition): readonly string[] {
    return [...super.metricNames(industry), 'receipts_per_employee'];
  }

  override async getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    const receipts = findMetric('receipts_per_employee')!;
    if (query.metrics.includes(receipts.name)) this.queries.push(query);
    const others = query.metrics.filter((m) => m !== receipts.name);
    const rest = others.length
      ? await super.getSeries({ ...query, metrics: others })
      : [];
    const series: BenchmarkSeries = {
      ...rest[0],
      industry: query.industry,
      companySize: query.companySize,
      region: query.region,
      metricName: receipts.name,
      unit: receipts.unit,
      direction: receipts.direction,
      frequency: 'annual',
      source: 'census',
      points: periodStarts('annual', query.start, query.end)
        .filter((m) => yearOfMonth(m) === 2021)
        .map((month) => ({
          month,
          value: 150000 + yearOfMonth(month),
          percentiles: null,
          sampleSize: 4210,
          source: 'census' as const,
          population: true as const,
        })),
      metadata: { frequency: 'annual', statistic: 'mean' },
      warnings: [CENSUS_NOTE],
      yearNotes: [{ year: 2021, text: CENSUS_NOTE }],
    };
    return query.metrics.map((name) =>
      name === receipts.name
        ? series
        : rest.find((s) => s.metricName === name)!,
    );
  }
}

function setup(
  source: DataSource & { queries: SeriesQuery[] } = new BlendedLikeSource(),
) {
  const stack = benchmarkStack('2025-03-15T10:00:00Z', source);
  return {
    ...stack,
    comparison: new ComparisonService(
      stack.industries,
      stack.reader,
      stack.clock,
    ),
  };
}

const retail = {
  industry: 'retail',
  companySize: 'medium' as const,
  region: 'national' as const,
};

describe('ComparisonService', () => {
  describe('compare', () => {
    it('should give one result per metric, in the order of the values, for the last complete month by default', async () => {
      const { comparison } = setup();
      const results = await comparison.compare({
        ...retail,
        userValues: { profit_margin: 0.05, revenue_per_employee: 200000 },
      });
      expect(results.map((r) => r.metric.name)).toEqual([
        'profit_margin',
        'revenue_per_employee',
      ]);
      for (const r of results) {
        expect(monthToIsoDate(r.month)).toBe('2025-02-01');
        expect(r.point.month).toBe(r.month);
        expect(r.basis).toBe('same_month');
        expect(r.comparison.percentileRank).toEqual(expect.any(Number));
      }
    });

    it('should read the peer group once for all the metrics of a month', async () => {
      const { comparison, source } = setup();
      await comparison.compare({
        ...retail,
        period: '2024-06-15',
        userValues: { profit_margin: 0.05, gross_margin: 0.3 },
      });
      expect(source.queries).toHaveLength(1);
      expect(source.queries[0].metrics).toEqual([
        'profit_margin',
        'gross_margin',
      ]);
    });

    it('should compare an annual metric with its newest point at or before the month', async () => {
      const { comparison } = setup();
      const [pay] = await comparison.compare({
        ...retail,
        period: '2025-01-01',
        userValues: { average_annual_pay: 70000 },
      });
      expect(monthToIsoDate(pay.point.month)).toBe('2023-01-01');
      expect(pay.basis).toBe('published_period');
      expect(pay.comparison.percentileRank).toBeNull();
      expect(pay.warnings).toEqual([]);
    });

    it('should look back 60 months for a Census metric (36 for the others), and say the count of firms', async () => {
      const source = new CensusLikeSource();
      const { comparison } = setup(source);
      const [receipts] = await comparison.compare({
        ...retail,
        period: '2025-02-01',
        userValues: { receipts_per_employee: 140000 },
      });
      expect(monthToIsoDate(receipts.point.month)).toBe('2021-01-01');
      expect(receipts.comparison.benchmarkValue).toBe(152021);
      expect(receipts.comparison.interpretationText).toContain(
        '(Census Annual Business Survey, 2021, 4,210 firms)',
      );
      // The quality note of the year used, though the month asked for is in 2025.
      expect(receipts.warnings).toEqual([CENSUS_NOTE]);
      // A population count: no sampling uncertainty; a mean only: low confidence all the same.
      expect(receipts.comparison.confidence).toBe('low');
      expect(receipts.comparison.rankInterval).toBeNull();
      expect(
        source.queries.map((q) => [q.metrics.join(), monthToIsoDate(q.start)]),
      ).toContainEqual(['receipts_per_employee', '2020-01-01']);

      await expect(
        comparison.compare({
          ...retail,
          period: '2020-12-01',
          userValues: { receipts_per_employee: 140000 },
        }),
      ).rejects.toThrow(/looked back 60 months/);
    });

    it('should warn with a year note only for a month of that year, and 404 with it when there is no point', async () => {
      const { comparison } = setup();
      // 2023 is served; the look-back reaches 2021, whose note says nothing about this comparison.
      const [served] = await comparison.compare({
        ...retail,
        period: '2023-06-01',
        userValues: { average_annual_pay: 60000 },
      });
      expect(served.warnings).toEqual([]);
      await expect(
        comparison.compare({
          ...retail,
          period: '2021-06-01',
          userValues: { average_annual_pay: 60000 },
        }),
      ).rejects.toThrow(
        `No bls benchmark for average_annual_pay published at or before 2021-06-01 (looked back 36 months). ${NOTE}`,
      );
    });

    it('should refuse every value outside its valid range, naming user_values.<metric>, before reading anything', async () => {
      const { comparison, source } = setup();
      const refused = comparison.compare({
        ...retail,
        userValues: { profit_margin: 5, customer_retention_rate: 85 },
      });
      await expect(refused).rejects.toBeInstanceOf(BadRequestException);
      await expect(refused).rejects.toMatchObject({
        response: {
          message: [
            'user_values.profit_margin must be between -10 and 1 (got 5); it is a fraction: send 0.05 for 5%',
            'user_values.customer_retention_rate must be between 0 and 1 (got 85); it is a fraction: send 0.85 for 85%',
          ],
        },
      });
      expect(source.queries).toEqual([]);
    });

    it('should refuse a period outside the served months, naming `period`', async () => {
      const { comparison } = setup();
      await expect(
        comparison.compare({
          ...retail,
          period: '2025-03-01',
          userValues: { profit_margin: 0.05 },
        }),
      ).rejects.toThrow(
        'period must not be after 2025-02-01: benchmarks exist up to the last complete month',
      );
      await expect(
        comparison.compare({
          ...retail,
          period: '1999-12-31',
          userValues: { profit_margin: 0.05 },
        }),
      ).rejects.toThrow('period must be on or after 2000-01-01');
    });

    it('should give 404 for an unknown industry or metric', async () => {
      const { comparison } = setup();
      await expect(
        comparison.compare({
          ...retail,
          industry: 'mining',
          userValues: { profit_margin: 0.05 },
        }),
      ).rejects.toBeInstanceOf(NotFoundException);
      await expect(
        comparison.compare({ ...retail, userValues: { occupancy_rate: 0.5 } }),
      ).rejects.toThrow(/Unknown metric "occupancy_rate" for industry retail/);
    });
  });

  describe('scorecard', () => {
    it('should score the comparisons with the weights given', async () => {
      const { comparison } = setup();
      const { card, results } = await comparison.scorecard({
        ...retail,
        userValues: { profit_margin: 0.2, revenue_per_employee: 50000 },
        weights: { profit_margin: 3 },
        audience: 'owner',
      });
      expect(results).toHaveLength(2);
      expect(card.overallScore).toBeGreaterThan(0);
      expect(card.overallScore).toBeLessThanOrEqual(100);
    });

    it('should answer 400 when no metric with a rank has a weight', async () => {
      const { comparison } = setup();
      await expect(
        comparison.scorecard({
          ...retail,
          period: '2024-06-01',
          userValues: { profit_margin: 0.05, average_annual_pay: 60000 },
          weights: { profit_margin: 0 },
          audience: 'owner',
        }),
      ).rejects.toThrow(
        'weights: no metric with a percentile rank has a weight above 0 (average_annual_pay has no percentiles and cannot be scored)',
      );
    });
  });

  describe('trajectory', () => {
    it('should compare each period, oldest first, with the change of rank and both growths', async () => {
      const { comparison } = setup();
      const [t] = await comparison.trajectory({
        ...retail,
        userSeries: {
          profit_margin: [
            { period: '2024-06-01', value: 0.08 },
            { period: '2024-01-01', value: 0.02 },
          ],
        },
      });
      expect(t.results.map((r) => monthToIsoDate(r.month))).toEqual([
        '2024-01-01',
        '2024-06-01',
      ]);
      expect(t.rankChange).toBeCloseTo(
        t.results[1].comparison.percentileRank! -
          t.results[0].comparison.percentileRank!,
        6,
      );
      expect(t.userGrowth).toBeCloseTo(3, 5);
    });

    it('should refuse every bad point at once, named user_series.<metric>[i].value or .period', async () => {
      const { comparison } = setup();
      await expect(
        comparison.trajectory({
          ...retail,
          userSeries: {
            profit_margin: [
              { period: '2024-01-01', value: 7 },
              { period: '2025-04-01', value: 0.1 },
            ],
          },
        }),
      ).rejects.toMatchObject({
        response: {
          message: [
            'user_series.profit_margin[0].value must be between -10 and 1 (got 7); it is a fraction: send 0.07 for 7%',
            'user_series.profit_margin[1].period must not be after 2025-02-01: benchmarks exist up to the last complete month',
          ],
        },
      });
    });

    it('should refuse periods spanning over 120 months, saying which', async () => {
      const { comparison } = setup();
      await expect(
        comparison.trajectory({
          ...retail,
          userSeries: {
            profit_margin: [
              { period: '2010-01-01', value: 0.1 },
              { period: '2020-01-01', value: 0.1 },
            ],
          },
        }),
      ).rejects.toThrow(
        'user_series periods span 121 months (2010-01-01 to 2020-01-01); at most 120 months are allowed per request',
      );
    });
  });
});

// The months the fake source serves, as a guard on the tests above.
describe('BlendedLikeSource', () => {
  it('should publish the annual metric for 2022 and 2023 only', async () => {
    const [pay] = await new BlendedLikeSource().getSeries({
      ...retail,
      metrics: ['average_annual_pay'],
      start: monthOf(2020, 1),
      end: monthOf(2024, 12),
    });
    expect(pay.points.map((p) => yearOfMonth(p.month))).toEqual([2022, 2023]);
    expect(pay.yearNotes!.map((n) => n.year)).toEqual([2020, 2021]);
  });
});
