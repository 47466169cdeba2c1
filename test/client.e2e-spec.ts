import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  BenchmarkApiError,
  createBenchmarkClient,
  type BenchmarkClient,
  type Industry,
} from '../clients/typescript/src';
import { createTestApp } from './utils/create-test-app';

const ADMIN_KEY = 'client-test-admin-key-0123456789abcdef';

/** The TypeScript client (clients/typescript) against the running service, over real HTTP. */
describe('TypeScript client (e2e)', () => {
  let app: NestFastifyApplication;
  let client: BenchmarkClient;
  let baseUrl: string;

  beforeAll(async () => {
    app = await createTestApp({ env: { ADMIN_API_KEY: ADMIN_KEY } });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    client = createBenchmarkClient({ baseUrl, adminKey: ADMIN_KEY });
  });
  afterAll(() => app.close());

  it('should read health and the catalog', async () => {
    expect((await client.health()).status).toBe('healthy');
    const list = await client.listIndustries();
    expect(list.count).toBe(list.industries.length);
    const industry = list.industries[0];
    const detail = await client.getIndustry(industry);
    expect(detail.key).toBe(industry);
    const metrics = await client.getMetrics(industry);
    expect(metrics.metrics).toEqual(detail.metrics.map((m) => m.name));
  });

  it('should fetch series and comparisons with typed bodies', async () => {
    const series = await client.getData({
      industry: 'retail',
      metrics: ['profit_margin'],
      start_date: '2024-01-01',
      end_date: '2024-03-31',
    });
    expect(series).toHaveLength(1);
    expect(series[0].data_points.map((p) => p.period)).toEqual([
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
    ]);
    const [result] = await client.compare({
      industry: 'retail',
      period: '2024-03-01',
      user_values: { profit_margin: 0.05 },
    });
    expect(result.metric_name).toBe('profit_margin');
    expect(result.benchmark_value).toBe(series[0].data_points[2].value);
    expect(result.percentile_rank).toBeGreaterThanOrEqual(0);
    expect(result.percentile_rank).toBeLessThanOrEqual(100);
  });

  it('should score, follow a trajectory and answer CSV', async () => {
    const request = {
      industry: 'retail' as const,
      period: '2024-03-01',
      user_values: { profit_margin: 0.05, customer_acquisition_cost: 100 },
      weights: { profit_margin: 3 },
    };
    const card = await client.scorecard(request);
    expect(card.weights).toEqual({
      profit_margin: 3,
      customer_acquisition_cost: 1,
    });
    expect(card.results.map((r) => r.metric_name)).toEqual([
      'profit_margin',
      'customer_acquisition_cost',
    ]);
    const [trajectory] = await client.trajectory({
      industry: 'retail',
      user_series: {
        profit_margin: [
          { period: '2024-01-01', value: 0.04 },
          { period: '2024-03-01', value: 0.06 },
        ],
      },
    });
    expect(trajectory.metric_name).toBe('profit_margin');
    expect(trajectory.points.map((p) => p.period)).toEqual([
      '2024-01-01',
      '2024-03-01',
    ]);
    expect(trajectory.user_growth).toBeCloseTo(0.5, 4);

    const dataCsv = await client.getDataCsv({
      industry: 'retail',
      metrics: ['profit_margin'],
      start_date: '2024-01-01',
      end_date: '2024-03-31',
    });
    const rows = dataCsv.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^metric_name,/);
    expect(rows).toHaveLength(4);
    const compareCsv = await client.compareCsv({
      industry: request.industry,
      period: request.period,
      user_values: request.user_values,
    });
    expect(compareCsv.trimEnd().split('\r\n')).toHaveLength(3);
    const scorecardCsv = await client.scorecardCsv(request);
    expect(scorecardCsv.split('\r\n')[0]).toContain('overall_score');
    await expect(
      client.compareCsv({ industry: 'retail', user_values: {} }),
    ).rejects.toMatchObject({ status: 400, body: { statusCode: 400 } });
  });

  it("should throw a BenchmarkApiError with the service's status and message", async () => {
    const refused = client.compare({
      industry: 'retail',
      user_values: { profit_margin: 63 },
    });
    await expect(refused).rejects.toBeInstanceOf(BenchmarkApiError);
    await expect(refused).rejects.toMatchObject({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request' },
    });
    await expect(refused).rejects.toThrow(/profit_margin/);
    await expect(
      client.getIndustry('bakeries' as Industry),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('should clear the cache with the admin key and be refused without it', async () => {
    expect((await client.clearCache()).status).toBe('success');
    const anonymous = createBenchmarkClient({ baseUrl });
    await expect(anonymous.clearCache()).rejects.toMatchObject({ status: 401 });
  });
});
