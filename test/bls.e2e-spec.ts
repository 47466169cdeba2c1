import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DEFAULT_STUB_KEY,
  startBlsStub,
  type BlsStub,
} from '../tools/bls-stub/bls-stub-server';
import { stubValue } from '../tools/bls-stub/bls-stub-data';
import { oewsWageSeriesIds } from '../src/data-sources/bls/bls-series-ids';
import { INDUSTRY_KEYS } from '../src/domain/catalog';
import { COMPANY_SIZES, REGIONS } from '../src/domain/enums';
import { createTestApp, TEST_NOW } from './utils/create-test-app';
import { postJson } from './utils/http';

interface Point {
  period: string;
  value: number;
  percentile_10: number | null;
  percentile_50: number | null;
  sample_size: number | null;
  source: string;
}
interface Series {
  metric_name: string;
  source: string;
  data_points: Point[];
  metadata: Record<string, unknown>;
  warnings: string[];
}
interface Result {
  metric_name: string;
  benchmark_value: number;
  percentile_rank: number | null;
  percentage_difference: number | null;
  interpretation: string;
  interpretation_text: string;
  period: string;
  benchmark_period: string;
  source: string;
  warnings: string[];
}

describe('BLS data source (e2e, against the BLS stub server)', () => {
  let stub: BlsStub;
  let blended: NestFastifyApplication;
  let blsOnly: NestFastifyApplication;

  const env = (mode: string) => ({
    DATA_SOURCE: mode,
    BLS_API_URL: stub.url,
    BLS_API_KEY: DEFAULT_STUB_KEY,
    BLS_MAX_RETRIES: '1',
    BLS_TIMEOUT_MS: '1000',
    BLS_COOLDOWN_MS: '50',
  });
  const post = (app: NestFastifyApplication, url: string, payload: unknown) =>
    postJson(app, `/api/benchmarks/${url}`, payload);

  beforeAll(async () => {
    // The stub publishes what BLS had published at the tests' "now": OEWS up to 2023, QCEW up to Q2 2024.
    stub = await startBlsStub({ now: () => TEST_NOW });
    blended = await createTestApp({ env: env('blended') });
    blsOnly = await createTestApp({ env: env('bls') });
  });

  afterAll(async () => {
    await Promise.all([blended.close(), blsOnly.close()]);
    await stub.close();
  });

  beforeEach(() => {
    stub.setFault('none');
    stub.resetCounters();
  });

  it('should add the BLS metrics to every industry catalog, each saying its source and frequency', async () => {
    const res = await blended.inject({
      method: 'GET',
      url: '/api/benchmarks/metrics/construction',
    });
    const body = res.json<{
      metrics: string[];
      definitions: Array<Record<string, string>>;
    }>();
    expect(body.metrics.slice(-4)).toEqual([
      'annual_wage_per_employee',
      'average_annual_pay',
      'average_weekly_wage',
      'employment_growth_yoy',
    ]);
    expect(
      body.definitions.find((d) => d.name === 'average_weekly_wage'),
    ).toMatchObject({
      source: 'bls',
      frequency: 'quarterly',
      statistic: 'mean',
    });
    expect(
      body.definitions.find((d) => d.name === 'profit_margin'),
    ).toMatchObject({ source: 'synthetic' });
    const only = (
      await blsOnly.inject({
        method: 'GET',
        url: '/api/benchmarks/metrics/construction',
      })
    ).json<{
      metrics: string[];
    }>();
    expect(only.metrics).toHaveLength(4);
  });

  it('should serve real BLS series at their own frequency, mean-only metrics without percentiles', async () => {
    const res = await post(blsOnly, 'data', {
      industry: 'healthcare',
      region: 'midwest',
      start_date: '2022-01-01',
      end_date: '2023-12-31',
    });
    expect(res.statusCode).toBe(200);
    // One warning: 2022 is not an OEWS year the API holds (the QCEW metrics have both years).
    expect(res.headers['x-data-warnings']).toMatch(
      /^1; annual_wage_per_employee: the BLS API serves only its latest OEWS year, 2023/,
    );
    const series = res.json<Series[]>();
    const wages = series.find(
      (s) => s.metric_name === 'annual_wage_per_employee',
    )!;
    expect(wages.source).toBe('bls');
    expect(wages.metadata.frequency).toBe('annual');
    expect(wages.data_points.map((p) => p.period)).toEqual(['2023-01-01']);
    for (const s of series.filter((x) => x !== wages))
      expect(s.warnings).toEqual([]);
    expect(wages.data_points[0].percentile_10).toEqual(expect.any(Number));
    expect(wages.data_points[0].sample_size).toBeNull();
    const pay = series.find((s) => s.metric_name === 'average_annual_pay')!;
    expect(pay.metadata.statistic).toBe('mean');
    for (const p of pay.data_points) {
      expect(p.percentile_10).toBeNull();
      expect(p.percentile_50).toBeNull();
      expect(p.value).toBeGreaterThan(0);
      expect(p.source).toBe('bls');
    }
    expect(
      series.find((s) => s.metric_name === 'average_weekly_wage')!.data_points,
    ).toHaveLength(8);
  });

  // The stub holds OEWS as the real API does: one year, the May 2023 estimates at the tests' "now".
  it.each(INDUSTRY_KEYS)(
    'should serve %s the five OEWS percentiles BLS sent for its latest year, and rank against them',
    async (industry) => {
      const res = await post(blsOnly, 'data', {
        industry,
        metrics: ['annual_wage_per_employee'],
        start_date: '2023-01-01',
        end_date: '2023-12-31',
      });
      expect(res.statusCode).toBe(200);
      const [wages] = res.json<Series[]>();
      const sent = oewsWageSeriesIds(industry).map((id) =>
        Number(stubValue(id, 2023, 'A01', TEST_NOW)),
      );
      expect(wages.source).toBe('bls');
      expect(wages.data_points).toEqual([
        expect.objectContaining({
          period: '2023-01-01',
          value: sent[2],
          percentile_10: sent[0],
          percentile_25: sent[1],
          percentile_50: sent[2],
          percentile_75: sent[3],
          percentile_90: sent[4],
          source: 'bls',
        }),
      ]);
      expect(wages.warnings).toEqual([]);

      const compared = await post(blsOnly, 'compare', {
        industry,
        period: '2025-02-01',
        user_values: { annual_wage_per_employee: sent[3] },
      });
      expect(compared.statusCode).toBe(200);
      const [result] = compared.json<Result[]>();
      expect(result).toMatchObject({
        source: 'bls',
        benchmark_period: '2023-01-01',
        percentile_rank: 75,
        warnings: [],
      });
    },
  );

  it('should explain earlier OEWS years and never label what BLS did not send as bls', async () => {
    const range = {
      industry: 'retail',
      metrics: ['annual_wage_per_employee'],
      start_date: '2021-01-01',
      end_date: '2023-12-31',
    };
    const note =
      "annual_wage_per_employee: the BLS API serves only its latest OEWS year, 2023 (May 2023 estimates); it no longer holds earlier years (BLS's downloadable OEWS tables do)";
    const only = await post(blsOnly, 'data', range);
    const [left] = only.json<Series[]>();
    expect(left.data_points.map((p) => [p.period, p.source])).toEqual([
      ['2023-01-01', 'bls'],
    ]);
    expect(left.warnings).toEqual([`${note}, so they are left out`]);
    expect(only.headers['x-data-warnings']).toMatch(/^1; .*latest OEWS year/);

    const mixed = await post(blended, 'data', range);
    const [filled] = mixed.json<Series[]>();
    expect(filled.source).toBe('mixed');
    expect(filled.data_points.map((p) => [p.period, p.source])).toEqual([
      ['2021-01-01', 'synthetic'],
      ['2022-01-01', 'synthetic'],
      ['2023-01-01', 'bls'],
    ]);
    expect(filled.warnings).toEqual([
      `${note}, so synthetic stand-ins are served for them (source "synthetic" on each point)`,
    ]);
    // Cached with the numbers: a second answer says the same.
    expect((await post(blended, 'data', range)).json<Series[]>()[0]).toEqual(
      filled,
    );

    // A comparison for a month before the OEWS year warns; one after it does not.
    const before = await post(blended, 'compare', {
      industry: 'retail',
      period: '2022-06-01',
      user_values: { annual_wage_per_employee: 40000 },
    });
    expect(before.statusCode).toBe(200);
    expect(before.json<Result[]>()[0]).toMatchObject({
      source: 'synthetic',
      benchmark_period: '2022-01-01',
      warnings: [filled.warnings[0]],
    });
    expect(before.headers['x-data-warnings']).toMatch(/latest OEWS year/);
    const after = await post(blended, 'compare', {
      industry: 'retail',
      period: '2024-06-01',
      user_values: { annual_wage_per_employee: 40000 },
    });
    expect(after.json<Result[]>()[0]).toMatchObject({
      source: 'bls',
      benchmark_period: '2023-01-01',
      warnings: [],
    });
    expect(after.headers['x-data-warnings']).toBeUndefined();
    // With BLS alone there is nothing to compare with before 2023: a 404 that says why.
    const none = await post(blsOnly, 'compare', {
      industry: 'retail',
      period: '2022-06-01',
      user_values: { annual_wage_per_employee: 40000 },
    });
    expect(none.statusCode).toBe(404);
    expect(none.json<{ message: string }>().message).toContain(
      `${note}, so they are left out`,
    );
  });

  it('should ask BLS for no series it does not have, for any industry, size, region and metric', async () => {
    const before = stub.unknownSeries.length;
    const requestsBefore = stub.requests.length;
    // Two apps, each under the 50 requests in 10 s that BLS (and each instance's client) allows.
    for (const industries of [
      INDUSTRY_KEYS.slice(0, 5),
      INDUSTRY_KEYS.slice(5),
    ]) {
      stub.resetCounters();
      const app = await createTestApp({ env: env('blended') });
      try {
        for (const industry of industries)
          for (const region of REGIONS)
            for (const company_size of COMPANY_SIZES) {
              const res = await post(app, 'data', {
                industry,
                region,
                company_size,
                start_date: '2022-01-01',
                end_date: '2023-12-31',
              });
              expect(res.statusCode).toBe(200);
              for (const series of res.json<Series[]>())
                for (const w of series.warnings)
                  expect(w).toMatch(/serves only its latest OEWS year/);
            }
      } finally {
        await app.close();
      }
    }
    expect(stub.requests.length).toBeGreaterThan(requestsBefore + 50);
    expect(stub.unknownSeries.slice(before)).toEqual([]);
  });

  it('should compare with the newest published BLS period and report it, with no rank against a mean', async () => {
    const res = await post(blended, 'compare', {
      industry: 'retail',
      period: '2025-02-01',
      user_values: {
        annual_wage_per_employee: 40000,
        average_annual_pay: 60000,
        profit_margin: 0.05,
      },
    });
    expect(res.statusCode).toBe(200);
    const [wage, pay, margin] = res.json<Result[]>();
    expect(wage).toMatchObject({
      source: 'bls',
      period: '2025-02-01',
      benchmark_period: '2023-01-01',
    });
    expect(wage.percentile_rank).toEqual(expect.any(Number));
    expect(pay).toMatchObject({
      source: 'bls',
      benchmark_period: '2023-01-01',
      percentile_rank: null,
    });
    expect(pay.interpretation_text).toContain('only a mean is published');
    expect(pay.interpretation_text).toContain('employers of all sizes');
    const better = pay.percentage_difference!;
    expect(pay.interpretation).toBe(
      better >= 25
        ? 'significantly_above'
        : better >= 10
          ? 'above_average'
          : better > -10
            ? 'average'
            : better > -25
              ? 'below_average'
              : 'significantly_below',
    );
    expect(margin).toMatchObject({
      source: 'synthetic',
      benchmark_period: '2025-02-01',
    });
  });

  it('should say honestly which BLS benchmarks it could not seasonally adjust', async () => {
    const res = await post(blended, 'compare', {
      industry: 'retail',
      period: '2024-12-01',
      seasonally_adjusted: true,
      user_values: {
        revenue_per_employee: 200000,
        average_weekly_wage: 900,
        average_annual_pay: 45000,
      },
    });
    expect(res.statusCode).toBe(200);
    const [rpe, weekly, annual] =
      res.json<
        Array<
          Result & { seasonally_adjusted: boolean; comparison_basis: string }
        >
      >();
    expect(rpe).toMatchObject({
      seasonally_adjusted: true,
      comparison_basis: 'seasonally_adjusted',
    });
    // QCEW quarters are published unadjusted: compared as they are, and said so.
    expect(weekly).toMatchObject({
      source: 'bls',
      seasonally_adjusted: false,
      comparison_basis: 'published_period',
    });
    expect(weekly.warnings.join(' ')).toContain(
      'average_weekly_wage: not seasonally adjusted',
    );
    expect(weekly.interpretation_text).toContain(
      'It is not seasonally adjusted: its source cannot adjust it.',
    );
    expect(res.headers['x-data-warnings']).toContain('average_weekly_wage');
    // An annual figure has no season to take out.
    expect(annual).toMatchObject({ source: 'bls', seasonally_adjusted: true });
    expect(annual.warnings).toEqual([]);
  });

  it('should answer 404 naming the bls source for a metric BLS does not serve', async () => {
    const res = await post(blsOnly, 'data', {
      industry: 'retail',
      metrics: ['profit_margin'],
    });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ message: string }>().message).toContain(
      'from the bls data source',
    );
  });

  it('should fall back to labelled synthetic stand-ins with warnings and a header when BLS fails', async () => {
    stub.setFault('500');
    const payload = {
      industry: 'restaurant',
      metrics: ['average_annual_pay', 'profit_margin'],
      start_date: '2023-01-01',
      end_date: '2023-12-31',
    };
    const res = await post(blended, 'data', payload);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-data-warnings']).toMatch(
      /^1; average_annual_pay: BLS is unavailable: HTTP 500/,
    );
    const [pay, margin] = res.json<Series[]>();
    expect(pay.source).toBe('synthetic');
    expect(pay.data_points.every((p) => p.source === 'synthetic')).toBe(true);
    expect(pay.warnings).toHaveLength(1);
    expect(margin.warnings).toEqual([]);

    const compared = await post(blended, 'compare', {
      industry: 'restaurant',
      period: '2024-06-01',
      user_values: { average_annual_pay: 30000 },
    });
    expect(compared.statusCode).toBe(200);
    expect(compared.headers['x-data-warnings']).toBeDefined();
    expect(compared.json<Result[]>()[0]).toMatchObject({ source: 'synthetic' });
    expect(compared.json<Result[]>()[0].warnings[0]).toMatch(
      /synthetic stand-ins/,
    );

    // Degraded answers are not cached: once BLS is back (after the cool-down) the same request gets BLS numbers.
    stub.setFault('none');
    await new Promise((r) => setTimeout(r, 60));
    const again = await post(blended, 'data', payload);
    expect(again.headers['x-data-warnings']).toBeUndefined();
    expect(again.json<Series[]>()[0].source).toBe('bls');
  });

  it('should stop calling BLS once it refuses for the daily threshold', async () => {
    // An app of its own: the used-up quota must not leak into other tests.
    const app = await createTestApp({ env: env('bls') });
    try {
      stub.setFault('quota');
      const first = await post(app, 'data', {
        industry: 'education',
        metrics: ['average_weekly_wage'],
        start_date: '2022-01-01',
        end_date: '2022-12-31',
      });
      expect(first.statusCode).toBe(200);
      expect(first.json<Series[]>()[0].warnings[0]).toMatch(/daily/);
      stub.setFault('none');
      const before = stub.requests.length;
      const second = await post(app, 'data', {
        industry: 'education',
        metrics: ['average_annual_pay'],
        start_date: '2021-01-01',
        end_date: '2021-12-31',
      });
      expect(second.statusCode).toBe(200);
      expect(second.json<Series[]>()[0].source).toBe('synthetic');
      expect(stub.requests.length).toBe(before);
    } finally {
      await app.close();
    }
  });

  it('should never show the BLS key in a response', async () => {
    stub.setFault('html');
    const res = await post(blended, 'data', {
      industry: 'manufacturing',
      metrics: ['employment_growth_yoy'],
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.stringify(res.headers) + res.body).not.toContain(
      DEFAULT_STUB_KEY,
    );
  });
});
