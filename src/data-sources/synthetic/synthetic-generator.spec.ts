import type { BenchmarkPoint, PeerGroup } from '../../domain/benchmark';
import {
  findMetric,
  INDUSTRIES,
  industryMetrics,
  type MetricDefinition,
} from '../../domain/catalog';
import {
  COMPANY_SIZES,
  REGIONS,
  type CompanySize,
  type Region,
} from '../../domain/enums';
import { monthOf, type Month } from '../../domain/months';
import { LEVEL_INDICES } from './level-index-data';
import { levelFactor } from './level-indices';
import { SyntheticGenerator, UNIT_DECIMALS } from './synthetic-generator';
import { historiesOf } from './synthetic-history';
import { INDUSTRY_PROFILES } from './synthetic-profiles';

const SEED = 20240101;
const generator = new SyntheticGenerator(SEED);
const JAN_2024 = monthOf(2024, 1);

const peers = (
  industry: string,
  companySize: CompanySize = 'medium',
  region: Region = 'national',
): PeerGroup => ({
  industry,
  companySize,
  region,
});
const metric = (name: string): MetricDefinition => findMetric(name)!;

/** Mean median over a calendar year: damps seasonality and monthly noise. */
function annualMedian(
  generatorUnderTest: SyntheticGenerator,
  cell: PeerGroup,
  name: string,
  year: number,
): number {
  const s = generatorUnderTest.series(
    cell,
    metric(name),
    monthOf(year, 1),
    monthOf(year, 12),
  );
  return (
    s.points.reduce((sum, p) => sum + p.percentiles!.p50, 0) / s.points.length
  );
}

function medianIn(cell: PeerGroup, name: string, month: Month): number {
  return generator.point(cell, metric(name), month).percentiles!.p50;
}

const BOUNDED_SHARES = new Set([
  'customer_retention_rate',
  'occupancy_rate',
  'billable_utilization',
  'capacity_utilization',
  'no_show_rate',
  'student_retention_rate',
  'lease_renewal_rate',
  'prime_cost_ratio',
  'payroll_cost_ratio',
  'gross_margin',
]);

describe('SyntheticGenerator', () => {
  describe('calibration', () => {
    it('should have a profile for every metric of every industry in the catalog, and nothing else', () => {
      for (const industry of INDUSTRIES) {
        expect(
          Object.keys(INDUSTRY_PROFILES[industry.key].metrics).sort(),
        ).toEqual([...industry.metrics].sort());
        for (const name of industry.metrics)
          expect(generator.supports(industry.key, name)).toBe(true);
      }
      expect(generator.supports('retail', 'occupancy_rate')).toBe(false);
      expect(generator.supports('constructor', 'profit_margin')).toBe(false);
    });

    it('should move dollar metrics with the published series their metadata names, years of decline included', () => {
      const revenue = metric('revenue_per_employee');
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      for (const industry of INDUSTRIES) {
        const cell = peers(industry.key);
        const note = generator.series(cell, revenue, JAN_2024, JAN_2024)
          .metadata.level_index as { series: string };
        const index = LEVEL_INDICES[note.series];
        const growth = INDUSTRY_PROFILES[industry.key].annualGrowth;
        const factor = (year: number) =>
          mean(
            Array.from({ length: 12 }, (_x, i) =>
              levelFactor(index, monthOf(year, i + 1), growth),
            ),
          );
        for (const [from, to] of [
          [2008, 2009],
          [2019, 2020],
          [2016, 2024],
        ]) {
          const served =
            annualMedian(generator, cell, 'revenue_per_employee', to) /
            annualMedian(generator, cell, 'revenue_per_employee', from);
          // The months' noise (1% each) and the histories of 2020 (hotels, restaurants) aside.
          const shocked =
            from === 2019 &&
            historiesOf(industry.key, 'revenue_per_employee').length > 0;
          if (!shocked)
            expect(
              Math.abs(served / (factor(to) / factor(from)) - 1),
            ).toBeLessThan(0.015);
        }
      }
      // Retail sales fell in 2009, so does retail revenue per employee.
      const retail = peers('retail');
      expect(
        annualMedian(generator, retail, 'revenue_per_employee', 2009),
      ).toBeLessThan(
        annualMedian(generator, retail, 'revenue_per_employee', 2008),
      );
    });

    it.each([
      // [industry, metric, low, high]: published p50-ish magnitudes, medium firms, national, 2024
      // Retail and manufacturing levels: section 4 of the reference (Calibration v2), also in fidelity.ts.
      ['retail', 'revenue_per_employee', 250_000, 320_000],
      ['restaurant', 'revenue_per_employee', 55_000, 75_000],
      ['professional_services', 'revenue_per_employee', 150_000, 250_000],
      ['manufacturing', 'revenue_per_employee', 350_000, 400_000],
      ['healthcare', 'revenue_per_employee', 100_000, 200_000],
      ['technology', 'revenue_per_employee', 200_000, 400_000],
      ['construction', 'revenue_per_employee', 200_000, 350_000],
      ['retail', 'profit_margin', 0.028, 0.05],
      ['restaurant', 'profit_margin', 0.03, 0.09],
      ['professional_services', 'profit_margin', 0.15, 0.21],
      ['real_estate', 'profit_margin', 0.15, 0.18],
      ['retail', 'customer_retention_rate', 0.6, 0.66],
      ['professional_services', 'customer_retention_rate', 0.81, 0.87],
      ['professional_services', 'billable_utilization', 0.66, 0.75],
      ['manufacturing', 'capacity_utilization', 0.76, 0.8],
      ['hospitality', 'occupancy_rate', 0.6, 0.66],
      ['hospitality', 'revenue_per_available_room', 90, 110],
      ['real_estate', 'occupancy_rate', 0.93, 0.955],
      ['restaurant', 'prime_cost_ratio', 0.58, 0.65],
      ['healthcare', 'days_in_accounts_receivable', 28, 55],
      ['education', 'student_retention_rate', 0.65, 0.71],
      ['real_estate', 'customer_acquisition_cost', 1_833, 2_831],
    ])('should put %s %s between %p and %p', (industry, name, low, high) => {
      const value = annualMedian(generator, peers(industry), name, 2024);
      expect(value).toBeGreaterThanOrEqual(low);
      expect(value).toBeLessThanOrEqual(high);
    });
  });

  describe('point', () => {
    it('should publish strictly increasing percentiles within range, at the unit precision, for every cell', () => {
      // Problems are collected and asserted once: an expect() per value would make this loop slow.
      const problems: string[] = [];
      let negativeMarginP10 = 0;
      let checked = 0;
      for (const industry of INDUSTRIES) {
        for (const m of industryMetrics(industry)) {
          for (const size of COMPANY_SIZES) {
            for (const region of REGIONS) {
              for (
                let month = monthOf(2000, 1);
                month <= monthOf(2030, 12);
                month += 7
              ) {
                const point = generator.point(
                  peers(industry.key, size, region),
                  m,
                  month,
                );
                const p = point.percentiles!;
                const xs = [p.p10, p.p25, p.p50, p.p75, p.p90];
                const where = `${industry.key}/${size}/${region}/${m.name}/${month}: ${xs.join(' ')}`;
                checked++;
                for (let i = 1; i < xs.length; i++) {
                  if (!(xs[i] > xs[i - 1]))
                    problems.push(`not increasing ${where}`);
                }
                for (const x of xs) {
                  const scaled = Math.abs(
                    Number((x * 10 ** UNIT_DECIMALS[m.unit]).toFixed(6)),
                  );
                  if (!Number.isFinite(x) || scaled % 1 !== 0)
                    problems.push(`not at unit precision ${where}`);
                }
                if (BOUNDED_SHARES.has(m.name)) {
                  if (!(p.p10 > 0 && p.p90 < 1))
                    problems.push(`share outside 0..1 ${where}`);
                } else if (m.unit === 'fraction') {
                  if (!(p.p10 > -1 && p.p90 < 1))
                    problems.push(`margin outside -1..1 ${where}`);
                  if (p.p10 < 0) negativeMarginP10++;
                } else if (!(p.p10 > 0)) {
                  problems.push(`non-positive quantity ${where}`);
                }
                const n = point.sampleSize ?? -1;
                if (!Number.isInteger(n) || n < 20 || n > 500) {
                  problems.push(`sample size ${point.sampleSize} ${where}`);
                }
                if (point.source !== 'synthetic' || point.month !== month)
                  problems.push(`labels ${where}`);
              }
            }
          }
        }
      }
      expect(problems.slice(0, 10)).toEqual([]);
      expect(checked).toBeGreaterThan(50_000);
      // Margins may go negative at the 10th percentile, and some do.
      expect(negativeMarginP10).toBeGreaterThan(0);
    });

    it('should be the same in a new generator whatever was generated before and in what order', () => {
      const cells: Array<[PeerGroup, string, Month]> = [
        [peers('retail', 'small', 'west'), 'profit_margin', monthOf(2024, 3)],
        [
          peers('hospitality', 'large', 'northeast'),
          'occupancy_rate',
          monthOf(2019, 8),
        ],
        [peers('technology'), 'customer_acquisition_cost', monthOf(2025, 12)],
      ];
      const first = cells.map(([cell, name, month]) =>
        generator.point(cell, metric(name), month),
      );
      const fresh = new SyntheticGenerator(SEED);
      fresh.series(
        peers('construction'),
        metric('gross_margin'),
        monthOf(2010, 1),
        monthOf(2012, 12),
      );
      const second = [...cells]
        .reverse()
        .map(([cell, name, month]) => fresh.point(cell, metric(name), month));
      expect(second.reverse()).toEqual(first);
    });

    it('should change with the seed', () => {
      const other = new SyntheticGenerator(SEED + 1);
      const a = generator.point(
        peers('retail'),
        metric('revenue_per_employee'),
        JAN_2024,
      );
      const b = other.point(
        peers('retail'),
        metric('revenue_per_employee'),
        JAN_2024,
      );
      expect(b.percentiles).not.toEqual(a.percentiles);
    });

    it('should vary from month to month, not repeat one draw', () => {
      const s = generator.series(
        peers('manufacturing'),
        metric('customer_retention_rate'),
        JAN_2024,
        JAN_2024 + 11,
      );
      expect(
        new Set(s.points.map((p) => p.percentiles!.p50)).size,
      ).toBeGreaterThan(6);
    });
  });

  describe('effects', () => {
    it('should raise revenue per employee from small to medium to large firms in every industry', () => {
      for (const industry of INDUSTRIES) {
        const small = annualMedian(
          generator,
          peers(industry.key, 'small'),
          'revenue_per_employee',
          2024,
        );
        const medium = annualMedian(
          generator,
          peers(industry.key, 'medium'),
          'revenue_per_employee',
          2024,
        );
        const large = annualMedian(
          generator,
          peers(industry.key, 'large'),
          'revenue_per_employee',
          2024,
        );
        expect(small).toBeLessThan(medium);
        expect(medium).toBeLessThan(large);
      }
    });

    it('should put revenue per employee higher in the northeast than in the midwest', () => {
      for (const industry of INDUSTRIES) {
        expect(
          annualMedian(
            generator,
            peers(industry.key, 'medium', 'northeast'),
            'revenue_per_employee',
            2024,
          ),
        ).toBeGreaterThan(
          annualMedian(
            generator,
            peers(industry.key, 'medium', 'midwest'),
            'revenue_per_employee',
            2024,
          ),
        );
      }
    });

    it('should give narrower cells smaller samples', () => {
      const sample = (cell: PeerGroup): number => {
        const s = generator.series(
          cell,
          metric('profit_margin'),
          JAN_2024,
          JAN_2024 + 11,
        );
        return s.points.reduce((sum, p) => sum + (p.sampleSize ?? 0), 0);
      };
      expect(sample(peers('retail', 'medium', 'southwest'))).toBeLessThan(
        sample(peers('retail', 'medium', 'national')),
      );
      expect(sample(peers('retail', 'large', 'national'))).toBeLessThan(
        sample(peers('retail', 'medium', 'national')),
      );
    });

    it('should spread small firms wider than large ones', () => {
      const width = (size: CompanySize): number => {
        const p = generator.point(
          peers('retail', size),
          metric('revenue_per_employee'),
          JAN_2024,
        ).percentiles!;
        return p.p90 / p.p10;
      };
      expect(width('small')).toBeGreaterThan(width('large'));
    });
  });

  describe('seasonality', () => {
    const year = 2024;
    const m = (month1: number): Month => monthOf(year, month1);

    it('should peak retail revenue in December and bottom it in February', () => {
      const cell = peers('retail');
      expect(medianIn(cell, 'revenue_per_employee', m(12))).toBeGreaterThan(
        medianIn(cell, 'revenue_per_employee', m(6)),
      );
      expect(medianIn(cell, 'revenue_per_employee', m(2))).toBeLessThan(
        medianIn(cell, 'revenue_per_employee', m(6)),
      );
    });

    it('should slow construction in winter', () => {
      const cell = peers('construction');
      expect(medianIn(cell, 'revenue_per_employee', m(2))).toBeLessThan(
        medianIn(cell, 'revenue_per_employee', m(5)),
      );
    });

    it('should fill hotels in summer', () => {
      const cell = peers('hospitality');
      expect(medianIn(cell, 'occupancy_rate', m(8))).toBeGreaterThan(
        medianIn(cell, 'occupancy_rate', m(1)) + 0.08,
      );
    });

    it("should follow education's academic year", () => {
      const cell = peers('education');
      expect(medianIn(cell, 'revenue_per_employee', m(9))).toBeGreaterThan(
        medianIn(cell, 'revenue_per_employee', m(7)),
      );
    });

    it('should leave retention rates without seasonality', () => {
      const cell = peers('retail');
      const values = Array.from({ length: 12 }, (_, i) =>
        medianIn(cell, 'customer_retention_rate', m(i + 1)),
      );
      expect(Math.max(...values) / Math.min(...values)).toBeLessThan(1.06);
    });

    describe('seasonally adjusted', () => {
      const adjusted = (cell: PeerGroup, name: string, month: Month) =>
        generator.point(cell, metric(name), month, true);

      it('should take the December peak out of retail revenue, scaling every percentile by the season', () => {
        const cell = peers('retail');
        const raw = generator.point(
          cell,
          metric('revenue_per_employee'),
          m(12),
        );
        const sa = adjusted(cell, 'revenue_per_employee', m(12));
        const factor = raw.percentiles!.p50 / sa.percentiles!.p50;
        expect(factor).toBeGreaterThan(1.05);
        // Log-normal: the season scales the whole distribution, so every ratio is the same (up to rounding).
        expect(raw.percentiles!.p10 / sa.percentiles!.p10).toBeCloseTo(
          factor,
          4,
        );
        expect(raw.percentiles!.p90 / sa.percentiles!.p90).toBeCloseTo(
          factor,
          4,
        );
        expect(sa.sampleSize).toBe(raw.sampleSize);
      });

      it('should leave adjusted months far flatter than the raw ones', () => {
        const cell = peers('hospitality');
        const spread = (values: number[]) =>
          Math.max(...values) / Math.min(...values);
        const months = Array.from({ length: 12 }, (_, i) => m(i + 1));
        const raw = months.map((mo) => medianIn(cell, 'occupancy_rate', mo));
        const sa = months.map(
          (mo) => adjusted(cell, 'occupancy_rate', mo).percentiles!.p50,
        );
        expect(spread(raw)).toBeGreaterThan(1.15);
        expect(spread(sa)).toBeLessThan(1.06);
      });

      it('should not change a metric without seasonality', () => {
        const cell = peers('retail');
        expect(adjusted(cell, 'customer_retention_rate', m(12))).toEqual(
          generator.point(cell, metric('customer_retention_rate'), m(12)),
        );
      });

      it('should say it is adjusted in the series metadata', () => {
        const s = generator.series(
          peers('retail'),
          metric('profit_margin'),
          m(1),
          m(2),
          true,
        );
        expect(s.metadata.seasonally_adjusted).toBe(true);
        expect(
          generator.series(peers('retail'), metric('profit_margin'), m(1), m(2))
            .metadata,
        ).not.toHaveProperty('seasonally_adjusted');
      });
    });
  });

  describe('series', () => {
    it('should return one synthetic point per month, oldest first, with its metadata', () => {
      const s = generator.series(
        peers('retail'),
        metric('inventory_turnover'),
        monthOf(2023, 11),
        monthOf(2024, 2),
      );
      expect(s.points.map((p: BenchmarkPoint) => p.month)).toEqual([
        monthOf(2023, 11),
        monthOf(2023, 12),
        monthOf(2024, 1),
        monthOf(2024, 2),
      ]);
      expect(s).toMatchObject({
        metricName: 'inventory_turnover',
        industry: 'retail',
        companySize: 'medium',
        region: 'national',
        unit: 'turns_per_year',
        direction: 'higher_is_better',
        source: 'synthetic',
      });
      expect(s.metadata).toMatchObject({
        frequency: 'monthly',
        seed: SEED,
        seasonality: 'retail_q4_peak',
      });
      expect(s.metadata.illustrative).toBeUndefined();
    });

    it('should say a metric without a primary source is illustrative, and give its own size factor', () => {
      const cac = generator.series(
        peers('retail'),
        metric('customer_acquisition_cost'),
        monthOf(2024, 1),
        monthOf(2024, 1),
      );
      expect(cac.metadata).toMatchObject({ illustrative: true });
      expect(String(cac.metadata.illustrative_note)).toMatch(
        /marketing surveys and blogs/,
      );
      const large = generator.series(
        { industry: 'manufacturing', companySize: 'large', region: 'national' },
        metric('revenue_per_employee'),
        monthOf(2024, 1),
        monthOf(2024, 1),
      );
      expect(large.metadata.company_size_factor).toBe(1.2);
    });

    it('should say which published series sets a level, and that a level without one is modelled', () => {
      const meta = (industry: string, name: string) =>
        generator.series(peers(industry), metric(name), JAN_2024, JAN_2024)
          .metadata;
      const retail = meta('retail', 'revenue_per_employee');
      expect(retail.level_index).toMatchObject({
        series: 'RSAFS',
        kind: 'sales',
        published_from: '2000-01-01',
      });
      expect(String(retail.history)).toMatch(/^published: .*\(RSAFS\)/);
      // A price: consumer prices, with a modelled real growth.
      expect(
        meta('retail', 'customer_acquisition_cost').level_index,
      ).toMatchObject({ series: 'CPIAUCSL', kind: 'prices' });
      expect(
        String(meta('technology', 'revenue_per_employee').history),
      ).toMatch(/^prices published: .*CPIAUCSL.*modelled real growth/);
      // Hotels: prices and STR's published shocks.
      expect(
        String(meta('hospitality', 'revenue_per_employee').history),
      ).toMatch(/CPIAUCSL.*; STR: hotel occupancy 24.5%/);
      const margin = meta('retail', 'profit_margin');
      expect(margin.level_index).toBeUndefined();
      expect(String(margin.history)).toMatch(/^modelled: /);
    });
  });
});
