import type { PeerGroup, Percentiles } from './benchmark';
import { findMetric } from './catalog';
import {
  compareToBenchmark,
  describeBasis,
  interpretAgainstMean,
  valueProblem,
} from './comparison';
import { monthOf } from './months';

const peers: PeerGroup = {
  industry: 'retail',
  companySize: 'medium',
  region: 'national',
};
const rpe = findMetric('revenue_per_employee')!;
const cac = findMetric('customer_acquisition_cost')!;
const margin = findMetric('profit_margin')!;

/** A synthetic benchmark point known by its percentiles. */
const bench = (percentiles: Percentiles) => ({
  value: percentiles.p50,
  percentiles,
  source: 'synthetic' as const,
});

const RPE: Percentiles = {
  p10: 100_000,
  p25: 125_000,
  p50: 150_000,
  p75: 170_000,
  p90: 200_000,
};
const CAC: Percentiles = { p10: 60, p25: 90, p50: 130, p75: 200, p90: 300 };
const MARGIN: Percentiles = {
  p10: -0.01,
  p25: 0.02,
  p50: 0.04,
  p75: 0.064,
  p90: 0.09,
};

describe('compareToBenchmark', () => {
  it('should compute difference, percentage difference and rank against the median', () => {
    const c = compareToBenchmark(180_000, bench(RPE), rpe, peers, 'retail');
    expect(c.benchmarkValue).toBe(150_000);
    expect(c.difference).toBe(30_000);
    expect(c.percentageDifference).toBe(20);
    expect(c.percentileRank).toBe(80); // 75 + 10/30 * 15
    expect(c.interpretation).toBe('above_average');
  });

  it('should say it in plain language with the percentage and the peer group', () => {
    const c = compareToBenchmark(
      180_000,
      bench(RPE),
      rpe,
      { ...peers, region: 'northeast' },
      'retail',
    );
    expect(c.interpretationText).toContain('$180,000');
    expect(c.interpretationText).toContain(
      '20.0% higher than the median of $150,000',
    );
    expect(c.interpretationText).toContain(
      'medium-sized retail businesses in the northeast',
    );
    expect(c.interpretationText).toContain('80th percentile');
    expect(c.interpretationText).toContain('above average');
  });

  it('should rate a high cost as below average and say lower is better', () => {
    const c = compareToBenchmark(250, bench(CAC), cac, peers, 'retail');
    expect(c.percentileRank).toBe(82.5); // 75 + 50/100 * 15
    expect(c.interpretation).toBe('below_average'); // performance 17.5
    expect(c.interpretationText).toContain('lower is better');
    expect(c.interpretationText).toContain('92.3% higher');
    expect(c.interpretationText).toContain('better than about 18% of peers');
  });

  it('should rate a low cost as above average', () => {
    const c = compareToBenchmark(70, bench(CAC), cac, peers, 'retail');
    expect(c.percentileRank).toBeLessThan(25);
    expect(['above_average', 'significantly_above']).toContain(
      c.interpretation,
    );
    expect(c.percentageDifference).toBe(-46.2);
  });

  it('should express fraction differences in percentage points and percent', () => {
    const c = compareToBenchmark(0.1, bench(MARGIN), margin, peers, 'retail');
    expect(c.difference).toBe(0.06); // not 0.060000000000000005
    expect(c.interpretationText).toContain(
      '10% is 6.0 percentage points (150.0%) higher than the median of 4%',
    );
  });

  it('should give a null percentage difference when the benchmark is 0', () => {
    const zero: Percentiles = {
      p10: -0.04,
      p25: -0.02,
      p50: 0,
      p75: 0.02,
      p90: 0.04,
    };
    const c = compareToBenchmark(0.01, bench(zero), margin, peers, 'retail');
    expect(c.percentageDifference).toBeNull();
    expect(c.percentileRank).toBe(62.5);
    expect(c.interpretationText).toContain(
      '1.0 percentage points higher than the median of 0%',
    );
  });

  it('should say equal when the value is the median', () => {
    const c = compareToBenchmark(150_000, bench(RPE), rpe, peers, 'retail');
    expect(c.difference).toBe(0);
    expect(c.percentageDifference).toBe(0);
    expect(c.percentileRank).toBe(50);
    expect(c.interpretationText).toContain('equal to the median');
  });

  it('should use the magnitude of a negative benchmark for the percentage', () => {
    const negative: Percentiles = {
      p10: -0.08,
      p25: -0.05,
      p50: -0.02,
      p75: 0.01,
      p90: 0.03,
    };
    const c = compareToBenchmark(0, bench(negative), margin, peers, 'retail');
    expect(c.percentageDifference).toBe(100);
  });

  it('should keep the user value as given', () => {
    expect(
      compareToBenchmark(123.456, bench(CAC), cac, peers, 'retail').userValue,
    ).toBe(123.456);
  });
});

describe('valueProblem', () => {
  it('should accept values within the metric range, bounds included', () => {
    expect(valueProblem('v', margin, -10)).toBeUndefined();
    expect(valueProblem('v', margin, 1)).toBeUndefined();
    expect(valueProblem('v', cac, 0)).toBeUndefined();
  });

  it('should refuse a percent sent for a fraction, name the field as given and say how to send it', () => {
    expect(
      valueProblem(
        'user_values.customer_retention_rate',
        findMetric('customer_retention_rate')!,
        85,
      ),
    ).toBe(
      'user_values.customer_retention_rate must be between 0 and 1 (got 85); it is a fraction: send 0.85 for 85%',
    );
  });

  it('should refuse a negative cost without a fraction hint', () => {
    expect(
      valueProblem('user_series.customer_acquisition_cost[2].value', cac, -1),
    ).toBe(
      'user_series.customer_acquisition_cost[2].value must be between 0 and 10000000 (got -1)',
    );
  });
});

describe('compareToBenchmark at the extremes', () => {
  it('should place ranks 0 and 100 outside the published percentiles in words', () => {
    expect(
      compareToBenchmark(0, bench(RPE), rpe, peers, 'retail')
        .interpretationText,
    ).toContain('below the 1st percentile');
    expect(
      compareToBenchmark(1e7, bench(RPE), rpe, peers, 'retail')
        .interpretationText,
    ).toContain('above the 99th percentile');
  });
});

describe('interpretAgainstMean', () => {
  it.each([
    [30, 'significantly_above'],
    [25, 'significantly_above'],
    [10, 'above_average'],
    [9.9, 'average'],
    [-9.9, 'average'],
    [-10, 'below_average'],
    [-25, 'significantly_below'],
  ])('should rate a dollar metric %p%% from the mean as %s', (pct, band) => {
    expect(interpretAgainstMean(pct, pct, 'higher_is_better', 'usd')).toBe(
      band,
    );
  });

  it('should turn the sign for lower-is-better metrics', () => {
    expect(interpretAgainstMean(30, 30, 'lower_is_better', 'usd')).toBe(
      'significantly_below',
    );
  });

  it('should rate fractions in percentage points, not in percent of a rate near zero', () => {
    // 5% growth against 0.74%: +576% but only +4.3 points
    expect(
      interpretAgainstMean(0.0426, 575.7, 'higher_is_better', 'fraction'),
    ).toBe('significantly_above');
    // 0.5% against 0.74%: -32% but only -0.24 points: close to the mean
    expect(
      interpretAgainstMean(-0.0024, -32.4, 'higher_is_better', 'fraction'),
    ).toBe('average');
    expect(
      interpretAgainstMean(-0.015, -200, 'higher_is_better', 'fraction'),
    ).toBe('below_average');
  });

  it('should use only the sign against a zero benchmark', () => {
    expect(interpretAgainstMean(5, null, 'higher_is_better', 'usd')).toBe(
      'above_average',
    );
    expect(interpretAgainstMean(-5, null, 'higher_is_better', 'usd')).toBe(
      'below_average',
    );
    expect(interpretAgainstMean(0, null, 'higher_is_better', 'usd')).toBe(
      'average',
    );
  });
});

describe('compareToBenchmark without percentiles', () => {
  const pay = findMetric('average_annual_pay')!;
  const wage = findMetric('annual_wage_per_employee')!;

  it('should compare with the mean, give no rank and say why', () => {
    const c = compareToBenchmark(
      60_000,
      { value: 50_000, percentiles: null, source: 'bls' },
      pay,
      peers,
      'retail',
    );
    expect(c.percentileRank).toBeNull();
    expect(c.interpretation).toBe('above_average'); // +20%
    expect(c.interpretationText).toContain(
      'the mean of $50,000 for retail employers of all sizes nationally',
    );
    expect(c.interpretationText).toContain('only a mean is published');
  });

  it('should call a median a median when BLS withheld the other percentiles', () => {
    const c = compareToBenchmark(
      40_000,
      { value: 40_000, percentiles: null, source: 'bls' },
      wage,
      peers,
      'retail',
    );
    expect(c.interpretationText).toContain('equal to the median of $40,000');
    expect(c.interpretationText).toContain(
      'the other percentiles were withheld',
    );
  });
});

describe('compareToBenchmark (insights)', () => {
  it('should give targets, a confidence and a rank interval that contains the rank', () => {
    const c = compareToBenchmark(
      160_000,
      { ...bench(RPE), sampleSize: 60 },
      rpe,
      peers,
      'retail',
    );
    expect(c.targets.map((t) => t.value)).toEqual([150_000, 170_000, 200_000]);
    expect(c.confidence).toBe('medium');
    const [low, high] = c.rankInterval!;
    expect(low).toBeLessThan(c.percentileRank!);
    expect(high).toBeGreaterThan(c.percentileRank!);
    expect(c.interpretationText).toContain(
      'Next target: +$10,000 revenue per employee to reach the top quartile',
    );
  });

  it('should aim a lower-is-better metric at its lower percentiles', () => {
    const c = compareToBenchmark(150, bench(CAC), cac, peers, 'retail');
    expect(c.targets.map((t) => [t.value, t.change])).toEqual([
      [130, -20],
      [90, -60],
      [60, -90],
    ]);
    expect(c.interpretationText).toContain(
      '-$20.00 customer acquisition cost to reach the median',
    );
  });

  it('should have no targets and low confidence against a mean', () => {
    const c = compareToBenchmark(
      50_000,
      { value: 48_000, percentiles: null, source: 'bls' },
      findMetric('average_annual_pay')!,
      peers,
      'retail',
    );
    expect(c.targets).toEqual([]);
    expect(c.rankInterval).toBeNull();
    expect(c.confidence).toBe('low');
  });

  it('should describe the broader peer group used and say why', () => {
    const c = compareToBenchmark(
      160_000,
      { ...bench(RPE), sampleSize: 400 },
      rpe,
      { industry: 'education', companySize: 'large', region: 'southwest' },
      'education',
      {
        peerLevel: { companySize: 'all', region: 'national', fallback: true },
        minSampleSize: 30,
      },
    );
    expect(c.interpretationText).toContain(
      'the median of $150,000 for education businesses of all sizes nationally',
    );
    expect(c.interpretationText).toContain(
      'The sample of large education businesses in the southwest has fewer than 30 businesses, so a broader peer group is used.',
    );
  });

  it('should end with the sentence on the period compared with', () => {
    const c = compareToBenchmark(160_000, bench(RPE), rpe, peers, 'retail', {
      basisText: 'Compared with X.',
    });
    expect(c.interpretationText.endsWith(' Compared with X.')).toBe(true);
  });
});

describe('describeBasis', () => {
  const dec = monthOf(2024, 12);
  it('should name the month, the adjustment or the published period', () => {
    expect(describeBasis('same_month', dec, 'monthly')).toBe(
      "Compared with peers' figures for December 2024, the same month, so both carry that month's season.",
    );
    expect(describeBasis('seasonally_adjusted', dec, 'monthly')).toContain(
      'seasonally adjusted figures for December 2024',
    );
    expect(
      describeBasis('published_period', monthOf(2024, 4), 'quarterly', true),
    ).toBe(
      'Compared with the newest published figure, for Q2 2024. It is not seasonally adjusted: its source cannot adjust it.',
    );
    expect(describeBasis('published_period', monthOf(2023, 1), 'annual')).toBe(
      'Compared with the newest published figure, for 2023.',
    );
  });
});
