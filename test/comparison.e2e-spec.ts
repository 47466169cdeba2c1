import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from './utils/create-test-app';
import {
  expectErrorAnswer,
  messageOf,
  postJson,
  type ErrorBody,
} from './utils/http';

interface Result {
  metric_name: string;
  user_value: number;
  benchmark_value: number;
  difference: number;
  percentage_difference: number | null;
  percentile_rank: number;
  interpretation: string;
  interpretation_text: string;
  percentile_10: number;
  percentile_25: number;
  percentile_50: number;
  percentile_75: number;
  percentile_90: number;
  sample_size: number;
  direction: string;
  unit: string;
  source: string;
  industry: string;
  company_size: string;
  region: string;
  period: string;
}
/** Independent reference: linear interpolation through (10,p10) .. (90,p90), tails extended, clamped, 1 decimal. */
function referenceRank(v: number, r: Result): number {
  const xs = [
    r.percentile_10,
    r.percentile_25,
    r.percentile_50,
    r.percentile_75,
    r.percentile_90,
  ];
  const ks = [10, 25, 50, 75, 90];
  let i = 0;
  if (v >= xs[4]) i = 3;
  else while (i < 3 && v > xs[i + 1]) i++;
  const rank =
    ks[i] + ((v - xs[i]) / (xs[i + 1] - xs[i])) * (ks[i + 1] - ks[i]);
  return Math.round(Math.min(100, Math.max(0, rank)) * 10) / 10;
}

describe('POST /api/benchmarks/compare (e2e)', () => {
  let app: NestFastifyApplication;

  const post = (url: string, payload: unknown) => postJson(app, url, payload);
  const compare = (payload: unknown) =>
    post('/api/benchmarks/compare', payload);

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('should return one result per metric, in the order given, with exactly the contract fields', async () => {
    const res = await compare({
      user_values: { profit_margin: 0.1, revenue_per_employee: 180000 },
      industry: 'retail',
    });
    expect(res.statusCode).toBe(200);
    const results = res.json<Result[]>();
    expect(results.map((r) => r.metric_name)).toEqual([
      'profit_margin',
      'revenue_per_employee',
    ]);
    expect(Object.keys(results[0]).sort()).toEqual(
      [
        'metric_name',
        'user_value',
        'benchmark_value',
        'difference',
        'percentage_difference',
        'percentile_rank',
        'interpretation',
        'interpretation_text',
        'percentile_10',
        'percentile_25',
        'percentile_50',
        'percentile_75',
        'percentile_90',
        'sample_size',
        'direction',
        'unit',
        'source',
        'industry',
        'company_size',
        'region',
        'period',
        'benchmark_period',
        'warnings',
        'targets',
        'confidence',
        'rank_interval',
        'peer_group',
        'seasonally_adjusted',
        'comparison_basis',
      ].sort(),
    );
    for (const r of results) {
      expect(r).toMatchObject({
        industry: 'retail',
        company_size: 'medium',
        region: 'national',
        period: '2025-02-01',
        source: 'synthetic',
      });
    }
  });

  it('should compute rank, difference and percentage from exactly the percentiles it returns', async () => {
    const userValues = {
      revenue_per_employee: 140000,
      profit_margin: -0.5,
      inventory_turnover: 30,
      customer_retention_rate: 0.7,
    };
    const results = (
      await compare({
        user_values: userValues,
        industry: 'retail',
        region: 'midwest',
        company_size: 'small',
      })
    ).json<Result[]>();
    for (const r of results) {
      expect(r.benchmark_value).toBe(r.percentile_50);
      expect(r.percentile_rank).toBe(referenceRank(r.user_value, r));
      expect(r.difference).toBeCloseTo(r.user_value - r.benchmark_value, 9);
      expect(r.percentage_difference).toBeCloseTo(
        ((r.user_value - r.benchmark_value) / Math.abs(r.benchmark_value)) *
          100,
        0,
      );
    }
    expect(
      results.find((r) => r.metric_name === 'profit_margin')!.percentile_rank,
    ).toBe(0);
    expect(
      results.find((r) => r.metric_name === 'inventory_turnover')!
        .percentile_rank,
    ).toBe(100);
  });

  it('should compare against the same percentiles /data publishes for that cell and month', async () => {
    const cell = {
      industry: 'technology',
      company_size: 'large',
      region: 'west',
    };
    const [result] = (
      await compare({
        ...cell,
        user_values: { gross_margin: 0.75 },
        period: '2023-06-20',
      })
    ).json<Result[]>();
    const [series] = (
      await post('/api/benchmarks/data', {
        ...cell,
        metrics: ['gross_margin'],
        start_date: '2023-06-01',
        end_date: '2023-06-01',
      })
    ).json<Array<{ data_points: Array<Record<string, number>> }>>();
    const point = series.data_points[0];
    expect(result.period).toBe('2023-06-01');
    expect([
      result.percentile_10,
      result.percentile_25,
      result.percentile_50,
      result.percentile_75,
      result.percentile_90,
      result.sample_size,
    ]).toEqual([
      point.percentile_10,
      point.percentile_25,
      point.percentile_50,
      point.percentile_75,
      point.percentile_90,
      point.sample_size,
    ]);
  });

  it('should rate a high acquisition cost as below average and say lower is better', async () => {
    const [median] = (
      await compare({
        industry: 'retail',
        user_values: { customer_acquisition_cost: 1 },
      })
    ).json<Result[]>();
    const [r] = (
      await compare({
        industry: 'retail',
        user_values: { customer_acquisition_cost: median.percentile_90 * 1.2 },
      })
    ).json<Result[]>();
    expect(r.direction).toBe('lower_is_better');
    expect(r.percentile_rank).toBeGreaterThan(90);
    expect(r.interpretation).toBe('significantly_below');
    expect(r.interpretation_text).toContain('lower is better');
    expect(median.interpretation).toBe('significantly_above');
  });

  it('should say the value, the median, the percentage and the rating in the sentence', async () => {
    const [r] = (
      await compare({
        industry: 'retail',
        user_values: { revenue_per_employee: 180000 },
      })
    ).json<Result[]>();
    expect(r.interpretation_text).toContain('$180,000');
    expect(r.interpretation_text).toContain(
      `${Math.abs(r.percentage_difference!).toFixed(1)}%`,
    );
    expect(r.interpretation_text).toContain(
      'medium-sized retail businesses nationally',
    );
  });

  it('should not call a rank of 0 the 1st percentile', async () => {
    const [r] = (
      await compare({
        industry: 'retail',
        user_values: { revenue_per_employee: 0 },
      })
    ).json<Result[]>();
    expect(r.percentile_rank).toBe(0);
    expect(r.interpretation_text).toContain('below the 1st percentile');
  });

  it('should give rank 50, no difference and an average rating at the median', async () => {
    const [probe] = (
      await compare({
        industry: 'healthcare',
        user_values: { no_show_rate: 0.1 },
      })
    ).json<Result[]>();
    const [r] = (
      await compare({
        industry: 'healthcare',
        user_values: { no_show_rate: probe.percentile_50 },
      })
    ).json<Result[]>();
    expect(r.percentile_rank).toBe(50);
    expect(r.difference).toBe(0);
    expect(r.percentage_difference).toBe(0);
    expect(r.interpretation).toBe('average');
  });

  describe('with invalid input', () => {
    it.each([
      [
        'missing user_values',
        { industry: 'retail' },
        'user_values is required',
      ],
      [
        'empty user_values',
        { industry: 'retail', user_values: {} },
        'user_values must contain at least one metric',
      ],
      [
        'a list as user_values',
        { industry: 'retail', user_values: [1, 2] },
        'user_values must be an object',
      ],
      [
        'a string value',
        { industry: 'retail', user_values: { profit_margin: '0.1' } },
        'user_values.profit_margin must be a finite number (got string)',
      ],
      [
        'a null value',
        { industry: 'retail', user_values: { profit_margin: null } },
        'user_values.profit_margin must be a finite number (got null)',
      ],
      [
        'a nested value',
        { industry: 'retail', user_values: { profit_margin: { v: 1 } } },
        'must be a finite number (got object)',
      ],
      [
        'a bad region',
        {
          industry: 'retail',
          region: 'mars',
          user_values: { profit_margin: 0.1 },
        },
        'region must be one of the following values',
      ],
      [
        'a future period',
        {
          industry: 'retail',
          period: '2025-03-01',
          user_values: { profit_margin: 0.1 },
        },
        'period must not be after 2025-02-01',
      ],
      [
        'an impossible period',
        {
          industry: 'retail',
          period: '2024-04-31',
          user_values: { profit_margin: 0.1 },
        },
        'period must be a real calendar date',
      ],
      [
        'an unknown field',
        {
          industry: 'retail',
          user_values: { profit_margin: 0.1 },
          verbose: true,
        },
        'property verbose should not exist',
      ],
      [
        'a null period',
        {
          industry: 'retail',
          period: null,
          user_values: { profit_margin: 0.1 },
        },
        'period must be a real calendar date',
      ],
      [
        'a percent sent for a fraction',
        { industry: 'retail', user_values: { customer_retention_rate: 63 } },
        'user_values.customer_retention_rate must be between 0 and 1 (got 63); it is a fraction: send 0.63 for 63%',
      ],
      [
        'a negative cost',
        { industry: 'retail', user_values: { customer_acquisition_cost: -5 } },
        'user_values.customer_acquisition_cost must be between 0 and 10000000 (got -5)',
      ],
      [
        'an absurd revenue per employee',
        { industry: 'retail', user_values: { revenue_per_employee: 1e306 } },
        'user_values.revenue_per_employee must be between 0 and 100000000',
      ],
    ])('should answer 400 for %s', async (_case, payload, expected) => {
      const res = await compare(payload);
      expectErrorAnswer(res, 400, expected);
    });

    it('should answer 400 for a number too large for a double (1e400)', async () => {
      const res = await compare(
        '{"industry":"retail","user_values":{"profit_margin":1e400}}',
      );
      expect(res.statusCode).toBe(400);
      expect(messageOf(res.json<ErrorBody>())).toContain(
        'must be a finite number (got Infinity)',
      );
    });

    it('should name every bad value at once, not only the first', async () => {
      const res = await compare({
        industry: 'retail',
        user_values: { x: 'a', y: 'b' },
      });
      expect(res.statusCode).toBe(400);
      const message = messageOf(res.json<ErrorBody>());
      expect(message).toContain(
        'user_values.x must be a finite number (got string)',
      );
      expect(message).toContain(
        'user_values.y must be a finite number (got string)',
      );
      const ranges = await compare({
        industry: 'retail',
        user_values: { customer_retention_rate: 63, profit_margin: 20 },
      });
      expect(messageOf(ranges.json<ErrorBody>())).toMatch(
        /customer_retention_rate.*\|.*profit_margin/,
      );
    });

    it('should answer 400 for more than 50 values', async () => {
      const values = Object.fromEntries(
        Array.from({ length: 51 }, (_, i) => [`m${i}`, i]),
      );
      const res = await compare({ industry: 'retail', user_values: values });
      expect(res.statusCode).toBe(400);
      expect(messageOf(res.json<ErrorBody>())).toContain('at most 50');
    });

    it('should answer 404 naming unknown metrics', async () => {
      const res = await compare({
        industry: 'retail',
        user_values: { profit_margin: 0.1, occupancy_rate: 0.7, toString: 1 },
      });
      expect(res.statusCode).toBe(404);
      expect(messageOf(res.json<ErrorBody>())).toContain(
        'Unknown metrics "occupancy_rate", "toString" for industry retail',
      );
    });

    it('should refuse a "constructor" metric with 400 rather than drop it silently', async () => {
      const res = await compare({
        industry: 'retail',
        user_values: { profit_margin: 0.1, constructor: 1 },
      });
      expect(res.statusCode).toBe(400);
      expect(messageOf(res.json<ErrorBody>())).toContain(
        'forbidden key "constructor"',
      );
    });

    it('should answer 404 for an unknown industry', async () => {
      const res = await compare({
        industry: 'Retail',
        user_values: { profit_margin: 0.1 },
      });
      expect(res.statusCode).toBe(404);
    });
  });
});
