import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, ERROR_KEYS } from './utils/create-test-app';
import {
  expectErrorAnswer,
  messageOf,
  postJson,
  type ErrorBody,
} from './utils/http';

interface DataPoint {
  metric_name: string;
  value: number;
  period: string;
  percentile_10: number;
  percentile_25: number;
  percentile_50: number;
  percentile_75: number;
  percentile_90: number;
  sample_size: number;
  source: string;
  peer_group: { company_size: string; region: string; fallback: boolean };
}
interface Series {
  metric_name: string;
  industry: string;
  company_size: string;
  region: string;
  unit: string;
  direction: string;
  source: string;
  data_points: DataPoint[];
  metadata: Record<string, unknown>;
}
describe('POST /api/benchmarks/data (e2e)', () => {
  let app: NestFastifyApplication;

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    postJson(app, '/api/benchmarks/data', payload, headers);

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('with valid input', () => {
    it('should default to medium, national, every metric and the 12 months ending with the last complete month', async () => {
      const res = await post({ industry: 'retail' });
      expect(res.statusCode).toBe(200);
      const series = res.json<Series[]>();
      expect(series.map((s) => s.metric_name)).toEqual([
        'revenue_per_employee',
        'profit_margin',
        'gross_margin',
        'inventory_turnover',
        'customer_acquisition_cost',
        'customer_retention_rate',
      ]);
      for (const s of series) {
        expect(s).toMatchObject({
          industry: 'retail',
          company_size: 'medium',
          region: 'national',
          source: 'synthetic',
        });
        expect(s.data_points.map((p) => p.period)).toEqual([
          '2024-03-01',
          '2024-04-01',
          '2024-05-01',
          '2024-06-01',
          '2024-07-01',
          '2024-08-01',
          '2024-09-01',
          '2024-10-01',
          '2024-11-01',
          '2024-12-01',
          '2025-01-01',
          '2025-02-01',
        ]);
      }
    });

    it('should return exactly the contract fields, with value equal to the median and rising percentiles', async () => {
      const res = await post({
        industry: 'hospitality',
        company_size: 'small',
        region: 'southeast',
        metrics: ['occupancy_rate', 'customer_acquisition_cost'],
        start_date: '2023-11-15',
        end_date: '2024-02-29',
      });
      expect(res.statusCode).toBe(200);
      const series = res.json<Series[]>();
      expect(series.map((s) => s.metric_name)).toEqual([
        'occupancy_rate',
        'customer_acquisition_cost',
      ]);
      expect(Object.keys(series[0]).sort()).toEqual([
        'company_size',
        'data_points',
        'direction',
        'industry',
        'metadata',
        'metric_name',
        'region',
        'source',
        'unit',
        'warnings',
      ]);
      expect(series[0]).toMatchObject({
        unit: 'fraction',
        direction: 'higher_is_better',
        region: 'southeast',
      });
      expect(series[1]).toMatchObject({
        unit: 'usd',
        direction: 'lower_is_better',
      });
      expect(series[0].metadata).toMatchObject({ frequency: 'monthly' });
      for (const s of series) {
        expect(s.data_points.map((p) => p.period)).toEqual([
          '2023-11-01',
          '2023-12-01',
          '2024-01-01',
          '2024-02-01',
        ]);
        for (const p of s.data_points) {
          expect(Object.keys(p).sort()).toEqual([
            'metric_name',
            'peer_group',
            'percentile_10',
            'percentile_25',
            'percentile_50',
            'percentile_75',
            'percentile_90',
            'period',
            'sample_size',
            'source',
            'value',
          ]);
          expect(p.metric_name).toBe(s.metric_name);
          // Every point stands on at least MIN_SAMPLE_SIZE (30) businesses, its own cell's or a broader group's.
          expect(p.sample_size).toBeGreaterThanOrEqual(30);
          if (!p.peer_group.fallback) {
            expect(p.peer_group).toMatchObject({
              company_size: 'small',
              region: 'southeast',
            });
          }
          expect(p.value).toBe(p.percentile_50);
          expect(p.percentile_10).toBeLessThan(p.percentile_25);
          expect(p.percentile_25).toBeLessThan(p.percentile_50);
          expect(p.percentile_50).toBeLessThan(p.percentile_75);
          expect(p.percentile_75).toBeLessThan(p.percentile_90);
          expect(p.sample_size).toBeGreaterThanOrEqual(20);
          expect(p.sample_size).toBeLessThanOrEqual(500);
          expect(p.source).toBe('synthetic');
        }
      }
      const occupancy = series[0].data_points;
      expect(
        occupancy.every((p) => p.percentile_10 > 0 && p.percentile_90 < 1),
      ).toBe(true);
    });

    describe('peer fallback', () => {
      // Large education firms in the southwest: the cell's acquisition-cost samples are 24-31 businesses.
      const cell = {
        industry: 'education',
        company_size: 'large',
        region: 'southwest',
        metrics: ['customer_acquisition_cost'],
        start_date: '2024-01-01',
        end_date: '2024-12-01',
      };

      let raw: NestFastifyApplication;
      beforeAll(async () => {
        raw = await createTestApp({ env: { MIN_SAMPLE_SIZE: '0' } });
      });
      afterAll(async () => {
        await raw.close();
      });
      const rawPoints = async (payload: object) =>
        (await postJson(raw, '/api/benchmarks/data', payload)).json<
          Series[]
        >()[0].data_points;

      it('should replace the points of a cell under 30 businesses by the same size nationally, and say so', async () => {
        const own = await rawPoints(cell);
        const national = await rawPoints({ ...cell, region: 'national' });
        const served = (await post(cell)).json<Series[]>()[0];
        expect(own.every((p) => !p.peer_group.fallback)).toBe(true);
        expect(own.filter((p) => p.sample_size < 30).length).toBeGreaterThan(0);
        served.data_points.forEach((p, i) => {
          if (own[i].sample_size >= 30) {
            expect(p).toEqual(own[i]);
          } else {
            expect(p).toEqual({
              ...national[i],
              peer_group: {
                company_size: 'large',
                region: 'national',
                fallback: true,
              },
            });
          }
        });
        expect(served.metadata.sample_fallback).toContain('30');
        expect(served.region).toBe('southwest');
      });

      it('should pool every size nationally when MIN_SAMPLE_SIZE is above the national cell too', async () => {
        const strict = await createTestApp({
          env: { MIN_SAMPLE_SIZE: '2000' },
        });
        try {
          const [series] = (
            await postJson(strict, '/api/benchmarks/data', cell)
          ).json<Series[]>();
          const sizes = await Promise.all(
            ['small', 'medium', 'large'].map((company_size) =>
              rawPoints({ ...cell, company_size, region: 'national' }),
            ),
          );
          series.data_points.forEach((p, i) => {
            expect(p.peer_group).toEqual({
              company_size: 'all',
              region: 'national',
              fallback: true,
            });
            // The pooled cell counts every size's businesses, and its median lies between theirs.
            const parts = sizes.map((s) => s[i]);
            expect(p.sample_size).toBe(
              parts.reduce((n, q) => n + q.sample_size, 0),
            );
            const medians = parts.map((q) => q.percentile_50);
            expect(p.percentile_50).toBeGreaterThanOrEqual(
              Math.min(...medians),
            );
            expect(p.percentile_50).toBeLessThanOrEqual(Math.max(...medians));
          });
        } finally {
          await strict.close();
        }
      });
    });

    it('should return the same numbers from a second, independent instance', async () => {
      const payload = {
        industry: 'construction',
        region: 'west',
        start_date: '2021-01-01',
        end_date: '2022-06-01',
      };
      const other = await createTestApp();
      try {
        const mine = (await post(payload)).json<Series[]>();
        const theirs = (
          await other.inject({
            method: 'POST',
            url: '/api/benchmarks/data',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(payload),
          })
        ).json<Series[]>();
        expect(theirs).toEqual(mine);
      } finally {
        await other.close();
      }
    });

    it('should give a month the same numbers whatever range it is requested in', async () => {
      const wide = (
        await post({
          industry: 'retail',
          metrics: ['profit_margin'],
          start_date: '2020-01-01',
          end_date: '2024-12-01',
        })
      ).json<Series[]>();
      const narrow = (
        await post({
          industry: 'retail',
          metrics: ['profit_margin'],
          start_date: '2022-07-01',
          end_date: '2022-07-31',
        })
      ).json<Series[]>();
      expect(
        wide[0].data_points.find((p) => p.period === '2022-07-01'),
      ).toEqual(narrow[0].data_points[0]);
    });

    it('should accept a charset in the content type', async () => {
      const res = await post(
        { industry: 'retail', metrics: ['profit_margin'] },
        { 'content-type': 'application/json; charset=utf-8' },
      );
      expect(res.statusCode).toBe(200);
    });

    it('should serve a 120-month range', async () => {
      const res = await post({
        industry: 'education',
        start_date: '2015-03-01',
        end_date: '2025-02-28',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<Series[]>()[0].data_points).toHaveLength(120);
    });
  });

  describe('with invalid input', () => {
    it.each([
      [
        'a bad company_size',
        { industry: 'retail', company_size: 'huge' },
        'company_size must be one of the following values: small, medium, large',
      ],
      [
        'a bad region',
        { industry: 'retail', region: 'europe' },
        'region must be one of the following values: national, northeast, southeast, midwest, west, southwest',
      ],
      ['a missing industry', {}, 'industry must be a string'],
      ['a numeric industry', { industry: 5 }, 'industry must be a string'],
      [
        'an impossible date',
        { industry: 'retail', start_date: '2023-02-29' },
        'start_date must be a real calendar date in the form YYYY-MM-DD',
      ],
      [
        'a malformed date',
        { industry: 'retail', end_date: '01/02/2024' },
        'end_date must be a real calendar date in the form YYYY-MM-DD',
      ],
      [
        'a date-time',
        { industry: 'retail', end_date: '2024-01-01T00:00:00Z' },
        'end_date must be a real calendar date',
      ],
      [
        'start after end',
        {
          industry: 'retail',
          start_date: '2024-05-01',
          end_date: '2024-01-31',
        },
        'end_date must not be before start_date',
      ],
      [
        'a future month',
        { industry: 'retail', end_date: '2025-03-01' },
        'end_date must not be after 2025-02-01',
      ],
      [
        'a month before 2000',
        {
          industry: 'retail',
          start_date: '1999-12-01',
          end_date: '2000-06-01',
        },
        'start_date must be on or after 2000-01-01',
      ],
      [
        'a range over 120 months',
        {
          industry: 'retail',
          start_date: '2010-01-01',
          end_date: '2020-01-01',
        },
        'spans 121 months',
      ],
      [
        'a null start_date',
        { industry: 'retail', start_date: null },
        'start_date must be a real calendar date',
      ],
      [
        'a null end_date',
        { industry: 'retail', end_date: null },
        'end_date must be a real calendar date',
      ],
      [
        'a null company_size',
        { industry: 'retail', company_size: null },
        'company_size must be one of',
      ],
      [
        'a null region',
        { industry: 'retail', region: null },
        'region must be one of',
      ],
      [
        'null metrics',
        { industry: 'retail', metrics: null },
        'metrics must be an array',
      ],
      ['a null industry', { industry: null }, 'industry must be a string'],
      [
        'an unknown field named like an Object.prototype member',
        { industry: 'retail', toString: 1, valueOf: 'x' },
        'property toString should not exist | property valueOf should not exist',
      ],
      [
        'an unknown field',
        { industry: 'retail', foo: 1 },
        'property foo should not exist',
      ],
      [
        'metrics that are not a list',
        { industry: 'retail', metrics: 'profit_margin' },
        'metrics must be an array',
      ],
      [
        'an empty metric list',
        { industry: 'retail', metrics: [] },
        'metrics should not be empty',
      ],
      [
        'repeated metrics',
        { industry: 'retail', metrics: ['profit_margin', 'profit_margin'] },
        "All metrics's elements must be unique",
      ],
      [
        'a non-string metric',
        { industry: 'retail', metrics: [1] },
        'each value in metrics must be a string',
      ],
      [
        'too many metrics',
        {
          industry: 'retail',
          metrics: Array.from({ length: 51 }, (_, i) => `m${i}`),
        },
        'metrics must contain no more than 50 elements',
      ],
    ])(
      'should answer 400 for %s, naming the field',
      async (_case, payload, expected) => {
        const body = expectErrorAnswer(await post(payload), 400, expected);
        expect(body.error).toBe('Bad Request');
      },
    );

    it('should answer 404 naming an unknown industry and listing the known ones', async () => {
      const res = await post({ industry: 'mining' });
      expect(res.statusCode).toBe(404);
      const message = messageOf(res.json<ErrorBody>());
      expect(message).toContain('Unknown industry "mining"');
      expect(message).toContain('real_estate');
    });

    it('should answer 404 naming every unknown metric and listing the industry’s metrics', async () => {
      const res = await post({
        industry: 'retail',
        metrics: ['profit_margin', 'occupancy_rate', '__proto__'],
      });
      expect(res.statusCode).toBe(404);
      const message = messageOf(res.json<ErrorBody>());
      expect(message).toContain('"occupancy_rate", "__proto__"');
      expect(message).toContain(
        'Available metrics: revenue_per_employee, profit_margin',
      );
    });

    it.each([
      [
        'malformed JSON',
        '{"industry": "retail",',
        'The request body is not valid JSON',
      ],
      ['an empty body', '', 'The request body is empty'],
      [
        'an array body',
        '[{"industry":"retail"}]',
        'The request body must be a JSON object',
      ],
      ['a string body', '"retail"', 'The request body must be a JSON object'],
      ['a null body', 'null', 'The request body must be a JSON object'],
      [
        'a __proto__ key',
        '{"industry":"retail","__proto__":{"polluted":true}}',
        'forbidden key',
      ],
      [
        'a constructor.prototype key',
        '{"industry":"retail","x":{"constructor":{"prototype":{"polluted":true}}}}',
        'forbidden key',
      ],
      [
        'a prototype key',
        '{"industry":"retail","metrics":[{"prototype":1}]}',
        'forbidden key "prototype"',
      ],
      [
        'a deeply nested body',
        `{"industry":"retail","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        'nested more than 16 levels',
      ],
    ])('should answer 400 for %s', async (_case, payload, expected) => {
      const res = await post(payload);
      expectErrorAnswer(res, 400, expected);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('should answer 415 for a body that is not JSON, saying what to send', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/benchmarks/data',
        headers: { 'content-type': 'text/plain' },
        payload: 'industry=retail',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json<ErrorBody>()).toMatchObject({
        error: 'Unsupported Media Type',
      });
      expect(messageOf(res.json<ErrorBody>())).toContain('application/json');
    });

    it('should answer 413 for a body over 64 KiB', async () => {
      const res = await post({ industry: 'x'.repeat(70 * 1024) });
      expect(res.statusCode).toBe(413);
      expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
    });
  });
});
