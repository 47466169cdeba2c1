import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from './utils/create-test-app';
import { expectErrorAnswer, postJson } from './utils/http';

interface PeerGroupUsed {
  company_size: string;
  region: string;
  fallback: boolean;
}
interface Target {
  percentile: number;
  value: number;
  change: number;
  reached: boolean;
}
interface Result {
  metric_name: string;
  user_value: number;
  benchmark_value: number;
  percentile_rank: number | null;
  interpretation_text: string;
  percentile_10: number;
  percentile_25: number;
  percentile_50: number;
  percentile_75: number;
  percentile_90: number;
  sample_size: number;
  direction: string;
  company_size: string;
  region: string;
  targets: Target[];
  confidence: string;
  rank_interval: [number, number] | null;
  peer_group: PeerGroupUsed;
  seasonally_adjusted: boolean;
  comparison_basis: string;
  warnings: string[];
}
interface DataPoint {
  period: string;
  value: number;
  sample_size: number;
  peer_group: PeerGroupUsed;
}

describe('Comparison insights (e2e)', () => {
  let app: NestFastifyApplication;
  const compare = (payload: unknown) =>
    postJson(app, '/api/benchmarks/compare', payload);

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('targets', () => {
    it('should aim higher-is-better metrics at p50, p75, p90 and lower-is-better ones at p50, p25, p10', async () => {
      const res = await compare({
        industry: 'retail',
        user_values: {
          revenue_per_employee: 150000,
          customer_acquisition_cost: 150,
        },
        period: '2024-06-01',
      });
      expect(res.statusCode).toBe(200);
      const [rpe, cac] = res.json<Result[]>();
      expect(rpe.targets.map((t) => [t.percentile, t.value])).toEqual([
        [50, rpe.percentile_50],
        [75, rpe.percentile_75],
        [90, rpe.percentile_90],
      ]);
      expect(cac.targets.map((t) => [t.percentile, t.value])).toEqual([
        [50, cac.percentile_50],
        [75, cac.percentile_25],
        [90, cac.percentile_10],
      ]);
      for (const r of [rpe, cac]) {
        for (const t of r.targets) {
          expect(t.change).toBeCloseTo(t.value - r.user_value, 9);
          const better =
            r.direction === 'lower_is_better'
              ? r.user_value <= t.value
              : r.user_value >= t.value;
          expect(t.reached).toBe(better);
        }
      }
    });

    it('should name the nearest target not yet reached, in the unit, in the sentence', async () => {
      const res = await compare({
        industry: 'retail',
        user_values: { profit_margin: 0.05 },
        period: '2024-06-01',
      });
      const [r] = res.json<Result[]>();
      const next = r.targets.find((t) => !t.reached)!;
      const points = (Math.abs(next.change) * 100).toFixed(1);
      const name = {
        50: 'the median',
        75: 'the top quartile',
        90: 'the top tenth',
      }[next.percentile];
      expect(r.interpretation_text).toContain(
        `Next target: +${points} percentage points of net profit margin to reach ${name}`,
      );
    });
  });

  describe('confidence and rank_interval', () => {
    it('should give an interval that contains the rank, wider for a smaller sample', async () => {
      const body = (region: string) => ({
        industry: 'retail',
        region,
        company_size: 'large',
        user_values: { revenue_per_employee: 190000 },
        period: '2024-06-01',
      });
      const [national] = (await compare(body('national'))).json<Result[]>();
      const [southwest] = (await compare(body('southwest'))).json<Result[]>();
      for (const r of [national, southwest]) {
        const [low, high] = r.rank_interval!;
        expect(low).toBeLessThanOrEqual(r.percentile_rank!);
        expect(high).toBeGreaterThanOrEqual(r.percentile_rank!);
        expect(['high', 'medium', 'low']).toContain(r.confidence);
      }
      expect(southwest.sample_size).toBeLessThan(national.sample_size);
      const width = (r: Result) => r.rank_interval![1] - r.rank_interval![0];
      // Both ranks lie in the middle of the distribution, where the sample size dominates the width.
      expect(width(southwest)).toBeGreaterThan(width(national));
      expect(national.confidence).toBe('high');
      expect(southwest.confidence).not.toBe('high');
    });
  });

  describe('peer fallback', () => {
    it('should compare a small cell with the broader group /data shows, and say so', async () => {
      const cell = {
        industry: 'education',
        company_size: 'large',
        region: 'southwest',
      };
      const points = (
        await postJson(app, '/api/benchmarks/data', {
          ...cell,
          metrics: ['customer_acquisition_cost'],
          start_date: '2024-01-01',
          end_date: '2024-12-01',
        })
      ).json<Array<{ data_points: DataPoint[] }>>()[0].data_points;
      const fallen = points.find((p) => p.peer_group.fallback)!;
      expect(fallen).toBeDefined();
      const [r] = (
        await compare({
          ...cell,
          user_values: { customer_acquisition_cost: 300 },
          period: fallen.period,
        })
      ).json<Result[]>();
      expect(r.peer_group).toEqual(fallen.peer_group);
      expect(r.benchmark_value).toBe(fallen.value);
      expect(r.sample_size).toBe(fallen.sample_size);
      expect(r).toMatchObject({ company_size: 'large', region: 'southwest' });
      expect(r.interpretation_text).toContain(
        'The sample of large education businesses in the southwest has fewer than 30 businesses, so a broader peer group is used.',
      );
    });
  });

  describe('period and seasonal adjustment', () => {
    const december = {
      industry: 'retail',
      user_values: {
        revenue_per_employee: 200000,
        customer_retention_rate: 0.6,
      },
      period: '2024-12-10',
    };

    it('should compare with the same calendar month by default and say so', async () => {
      const results = (await compare(december)).json<Result[]>();
      for (const r of results) {
        expect(r.comparison_basis).toBe('same_month');
        expect(r.seasonally_adjusted).toBe(false);
        expect(r.interpretation_text).toContain(
          "Compared with peers' figures for December 2024, the same month",
        );
      }
    });

    it('should compare with the deseasonalised benchmark when asked, and mark the result', async () => {
      const [rawRpe, rawRetention] = (await compare(december)).json<Result[]>();
      const [rpe, retention] = (
        await compare({ ...december, seasonally_adjusted: true })
      ).json<Result[]>();
      for (const r of [rpe, retention]) {
        expect(r.seasonally_adjusted).toBe(true);
        expect(r.comparison_basis).toBe('seasonally_adjusted');
        expect(r.interpretation_text).toContain(
          "peers' seasonally adjusted figures for December 2024",
        );
      }
      // December is retail's peak: without the season the benchmark is lower and the same value ranks higher.
      expect(rpe.benchmark_value).toBeLessThan(rawRpe.benchmark_value);
      expect(rpe.percentile_rank!).toBeGreaterThan(rawRpe.percentile_rank!);
      // Retention has no season: the adjusted benchmark is the same.
      expect(retention.benchmark_value).toBe(rawRetention.benchmark_value);
    });

    it('should answer 400 for a seasonally_adjusted that is not a boolean, naming the field', async () => {
      expectErrorAnswer(
        await compare({ ...december, seasonally_adjusted: 'yes' }),
        400,
        'seasonally_adjusted must be a boolean value',
      );
    });
  });

  describe('POST /api/benchmarks/scorecard', () => {
    const scorecard = (payload: unknown) =>
      postJson(app, '/api/benchmarks/scorecard', payload);
    const body = {
      industry: 'retail',
      period: '2024-12-01',
      user_values: {
        revenue_per_employee: 180000,
        customer_acquisition_cost: 100,
        profit_margin: 0.02,
      },
    };
    interface Card {
      overall_score: number;
      weights: Record<string, number>;
      strongest: string[];
      weakest: string[];
      unscored: string[];
      audience: string;
      summary: string;
      results: Result[];
    }
    const performance = (r: Result) =>
      r.direction === 'lower_is_better'
        ? Math.round((100 - r.percentile_rank!) * 10) / 10
        : r.percentile_rank!;

    it('should score the weighted mean of performance percentiles, echo the weights and carry the /compare results', async () => {
      const res = await scorecard({
        ...body,
        weights: { revenue_per_employee: 3, profit_margin: 0.5 },
      });
      expect(res.statusCode).toBe(200);
      const card = res.json<Card>();
      const compared = (await compare(body)).json<Result[]>();
      expect(card.results).toEqual(compared);
      expect(card.weights).toEqual({
        revenue_per_employee: 3,
        customer_acquisition_cost: 1,
        profit_margin: 0.5,
      });
      const expected =
        compared.reduce(
          (sum, r) => sum + card.weights[r.metric_name] * performance(r),
          0,
        ) / 4.5;
      expect(card.overall_score).toBeCloseTo(expected, 1);
      for (const name of card.strongest) {
        expect(
          performance(compared.find((r) => r.metric_name === name)!),
        ).toBeGreaterThanOrEqual(50);
      }
      for (const name of card.weakest) {
        expect(
          performance(compared.find((r) => r.metric_name === name)!),
        ).toBeLessThan(50);
      }
      expect([...card.strongest, ...card.weakest].sort()).toEqual(
        Object.keys(body.user_values).sort(),
      );
      expect(card.audience).toBe('owner');
    });

    it('should move the score towards the metric given more weight', async () => {
      const light = (
        await scorecard({ ...body, weights: { customer_acquisition_cost: 1 } })
      ).json<Card>();
      const heavy = (
        await scorecard({ ...body, weights: { customer_acquisition_cost: 10 } })
      ).json<Card>();
      const cac = light.results.find(
        (r) => r.metric_name === 'customer_acquisition_cost',
      )!;
      expect(performance(cac)).toBeGreaterThan(light.overall_score);
      expect(heavy.overall_score).toBeGreaterThan(light.overall_score);
    });

    it('should speak plainly to owners and in percentiles and peer groups to advisors', async () => {
      const owner = (await scorecard(body)).json<Card>();
      const advisor = (
        await scorecard({ ...body, audience: 'advisor' })
      ).json<Card>();
      expect(owner.summary).not.toMatch(/percentile/);
      expect(owner.summary).toContain(
        `Overall you score ${Math.round(owner.overall_score)} out of 100`,
      );
      expect(advisor.summary).toContain(
        `Weighted mean performance percentile ${advisor.overall_score}`,
      );
      expect(advisor.summary).toContain(
        'peer group: medium-sized retail businesses nationally',
      );
      expect(advisor.overall_score).toBe(owner.overall_score);
    });

    it.each([
      [
        'a weight for a metric not sent',
        { weights: { gross_margin: 1 } },
        'weights.gross_margin is not a metric of user_values',
      ],
      [
        'a negative weight',
        { weights: { profit_margin: -1 } },
        'weights.profit_margin must be a finite number >= 0 (got -1)',
      ],
      [
        'a non-numeric weight',
        { weights: { profit_margin: '2' } },
        'weights.profit_margin must be a finite number >= 0 (got string)',
      ],
      [
        'weights that are all 0',
        {
          weights: {
            profit_margin: 0,
            revenue_per_employee: 0,
            customer_acquisition_cost: 0,
          },
        },
        'weights must not all be 0',
      ],
      [
        'weights that are not an object',
        { weights: [1] },
        'weights must be an object',
      ],
      [
        'an unknown audience',
        { audience: 'banker' },
        'audience must be one of the following values: owner, advisor',
      ],
    ])(
      'should answer 400 for %s, naming the field',
      async (_case, extra, expected) => {
        expectErrorAnswer(
          await scorecard({ ...body, ...extra }),
          400,
          expected,
        );
      },
    );

    it('should score weights of 1e308 as it scores equal weights, echoing them as sent', async () => {
      const weights = {
        revenue_per_employee: 1e308,
        customer_acquisition_cost: 1e308,
        profit_margin: 1e308,
      };
      const equal = (await scorecard(body)).json<Card>();
      const res = await scorecard({ ...body, weights });
      expect(res.statusCode).toBe(200);
      const card = res.json<Card>();
      expect(card.overall_score).toBe(equal.overall_score);
      expect(card.weights).toEqual(weights);
      expect(card.summary).toBe(equal.summary);
    });

    it('should answer 400 for a number too large for a double as a weight', async () => {
      const res = await postJson(
        app,
        '/api/benchmarks/scorecard',
        '{"industry": "retail", "user_values": {"profit_margin": 0.1}, "weights": {"profit_margin": 1e400}}',
      );
      expectErrorAnswer(
        res,
        400,
        'weights.profit_margin must be a finite number',
      );
    });
  });

  describe('POST /api/benchmarks/compare/trajectory', () => {
    const trajectory = (payload: unknown) =>
      postJson(app, '/api/benchmarks/compare/trajectory', payload);
    interface Entry {
      metric_name: string;
      points: Array<{
        period: string;
        user_value: number;
        benchmark_value: number;
        percentile_rank: number | null;
        source: string;
        peer_group: PeerGroupUsed;
      }>;
      rank_change: number | null;
      user_growth: number | null;
      benchmark_growth: number | null;
    }
    const series = [
      { period: '2024-12-05', value: 190000 },
      { period: '2024-01-20', value: 150000 },
      { period: '2024-06-01', value: 165000 },
    ];

    it('should compare every period as /compare does, oldest first, with rank change and growths', async () => {
      const res = await trajectory({
        industry: 'retail',
        user_series: {
          revenue_per_employee: series,
          customer_acquisition_cost: [
            { period: '2024-01-01', value: 160 },
            { period: '2024-12-01', value: 120 },
          ],
        },
      });
      expect(res.statusCode).toBe(200);
      const [rpe, cac] = res.json<Entry[]>();
      expect(rpe.metric_name).toBe('revenue_per_employee');
      expect(cac.metric_name).toBe('customer_acquisition_cost');
      expect(rpe.points.map((p) => [p.period, p.user_value])).toEqual([
        ['2024-01-01', 150000],
        ['2024-06-01', 165000],
        ['2024-12-01', 190000],
      ]);
      for (const p of rpe.points) {
        const [one] = (
          await compare({
            industry: 'retail',
            user_values: { revenue_per_employee: p.user_value },
            period: p.period,
          })
        ).json<Result[]>();
        expect(p.benchmark_value).toBe(one.benchmark_value);
        expect(p.percentile_rank).toBe(one.percentile_rank);
        expect(p.source).toBe('synthetic');
        expect(p.peer_group).toEqual(one.peer_group);
      }
      const first = rpe.points[0];
      const last = rpe.points[2];
      expect(rpe.rank_change).toBeCloseTo(
        last.percentile_rank! - first.percentile_rank!,
        5,
      );
      expect(rpe.user_growth).toBeCloseTo(190000 / 150000 - 1, 4);
      expect(rpe.benchmark_growth).toBeCloseTo(
        last.benchmark_value / first.benchmark_value - 1,
        4,
      );
      expect(cac.user_growth).toBe(-0.25);
    });

    it.each([
      [
        'a single point',
        { revenue_per_employee: [series[0]] },
        'user_series.revenue_per_employee must have 2 to 120 points (got 1)',
      ],
      [
        'too many points',
        {
          revenue_per_employee: Array.from({ length: 121 }, (_, i) => ({
            period: '2020-01-01',
            value: i,
          })),
        },
        'must have 2 to 120 points (got 121)',
      ],
      [
        'too many metrics',
        Object.fromEntries(
          Array.from({ length: 11 }, (_, i) => [`m${i}`, series]),
        ),
        'user_series may contain at most 10 metrics (got 11)',
      ],
      [
        'two points in one month',
        {
          revenue_per_employee: [
            { period: '2024-03-01', value: 1 },
            { period: '2024-03-31', value: 2 },
          ],
        },
        'user_series.revenue_per_employee[1].period is in the same month as user_series.revenue_per_employee[0].period (2024-03)',
      ],
      [
        'an impossible date',
        {
          revenue_per_employee: [
            { period: '2023-02-29', value: 1 },
            { period: '2024-03-01', value: 2 },
          ],
        },
        'user_series.revenue_per_employee[0].period must be a real calendar date',
      ],
      [
        'a non-numeric value',
        {
          revenue_per_employee: [
            { period: '2024-02-01', value: '1' },
            { period: '2024-03-01', value: 2 },
          ],
        },
        'user_series.revenue_per_employee[0].value must be a finite number (got string)',
      ],
      [
        'an extra field in a point',
        {
          revenue_per_employee: [
            { period: '2024-02-01', value: 1, note: 'x' },
            { period: '2024-03-01', value: 2 },
          ],
        },
        'user_series.revenue_per_employee[0] may only have period and value (got note)',
      ],
      [
        'a list that is not a list',
        { revenue_per_employee: { period: '2024-02-01', value: 1 } },
        'user_series.revenue_per_employee must be a list',
      ],
      [
        'a month after the last complete one',
        {
          revenue_per_employee: [
            { period: '2024-02-01', value: 1 },
            { period: '2025-03-01', value: 2 },
          ],
        },
        'user_series.revenue_per_employee[1].period must not be after 2025-02-01',
      ],
      [
        'a value outside the valid range',
        {
          profit_margin: [
            { period: '2024-02-01', value: 12 },
            { period: '2024-03-01', value: 0.1 },
          ],
        },
        'user_series.profit_margin[0].value must be between -10 and 1 (got 12); it is a fraction: send 0.12 for 12%',
      ],
      [
        'periods over 120 months apart',
        {
          revenue_per_employee: [
            { period: '2010-01-01', value: 1 },
            { period: '2024-03-01', value: 2 },
          ],
        },
        'user_series periods span 171 months',
      ],
    ])(
      'should answer 400 for %s, naming the field',
      async (_case, user_series, expected) => {
        expectErrorAnswer(
          await trajectory({ industry: 'retail', user_series }),
          400,
          expected,
        );
      },
    );

    it('should answer 400 for a missing user_series and 404 for an unknown metric', async () => {
      expectErrorAnswer(
        await trajectory({ industry: 'retail' }),
        400,
        'user_series is required',
      );
      expectErrorAnswer(
        await trajectory({
          industry: 'retail',
          user_series: { occupancy_rate: series },
        }),
        404,
        'Unknown metric "occupancy_rate"',
      );
    });
  });

  describe('CSV (Accept: text/csv)', () => {
    /** An independent RFC 4180 reader: quoted fields, doubled quotes, CRLF line ends. */
    function parseCsv(text: string): string[][] {
      const rows: string[][] = [];
      let row: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
          if (ch === '"' && text[i + 1] === '"') {
            cell += '"';
            i++;
          } else if (ch === '"') quoted = false;
          else cell += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') {
          row.push(cell);
          cell = '';
        } else if (ch === '\r' && text[i + 1] === '\n') {
          row.push(cell);
          rows.push(row);
          row = [];
          cell = '';
          i++;
        } else cell += ch;
      }
      expect(cell).toBe('');
      return rows;
    }
    const asCsv = (url: string, payload: unknown, accept = 'text/csv') =>
      postJson(app, url, payload, { accept });
    const cells = (v: string | number | boolean | null): string =>
      v === null ? '' : String(v);

    it('should give /data as CSV, one row per data point, with the JSON numbers', async () => {
      const payload = {
        industry: 'retail',
        metrics: ['revenue_per_employee', 'profit_margin'],
        start_date: '2024-01-01',
        end_date: '2024-03-01',
      };
      const res = await asCsv('/api/benchmarks/data', payload);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers.vary).toContain('Accept');
      expect(res.body.endsWith('\r\n')).toBe(true);
      const [header, ...rows] = parseCsv(res.body);
      const json = (await postJson(app, '/api/benchmarks/data', payload)).json<
        Array<{
          metric_name: string;
          data_points: Array<Record<string, string | number | boolean | null>>;
        }>
      >();
      const points = json.flatMap((s) => s.data_points);
      expect(rows).toHaveLength(points.length);
      rows.forEach((row, i) => {
        const record = Object.fromEntries(header.map((h, j) => [h, row[j]]));
        for (const field of [
          'metric_name',
          'period',
          'value',
          'percentile_10',
          'percentile_90',
          'sample_size',
          'source',
        ]) {
          expect(record[field]).toBe(cells(points[i][field]));
        }
        expect(record.peer_fallback).toBe('false');
      });
    });

    it('should give /compare as CSV, one row per result, quoting the sentence', async () => {
      const payload = {
        industry: 'retail',
        period: '2024-12-01',
        user_values: {
          revenue_per_employee: 180000,
          customer_acquisition_cost: 150,
        },
      };
      const res = await asCsv('/api/benchmarks/compare', payload);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const [header, ...rows] = parseCsv(res.body);
      const json = (await compare(payload)).json<Result[]>();
      expect(rows).toHaveLength(2);
      rows.forEach((row, i) => {
        const record = Object.fromEntries(header.map((h, j) => [h, row[j]]));
        const r = json[i];
        expect(record.metric_name).toBe(r.metric_name);
        expect(record.percentile_rank).toBe(String(r.percentile_rank));
        expect(record.rank_interval_low).toBe(String(r.rank_interval![0]));
        expect(record.rank_interval_high).toBe(String(r.rank_interval![1]));
        expect(record.target_75_value).toBe(String(r.targets[1].value));
        expect(record.target_75_change).toBe(String(r.targets[1].change));
        expect(record.interpretation_text).toBe(r.interpretation_text);
      });
      // The sentence has commas: it is quoted in the raw document.
      expect(res.body).toContain(`"${json[0].interpretation_text}"`);
    });

    it('should give /scorecard as CSV with weights, performance and the overall score', async () => {
      const payload = {
        industry: 'retail',
        period: '2024-12-01',
        user_values: {
          revenue_per_employee: 180000,
          customer_acquisition_cost: 150,
        },
        weights: { revenue_per_employee: 2 },
      };
      const res = await asCsv('/api/benchmarks/scorecard', payload);
      const [header, ...rows] = parseCsv(res.body);
      const card = (
        await postJson(app, '/api/benchmarks/scorecard', payload)
      ).json<{ overall_score: number; results: Result[] }>();
      const records = rows.map((row) =>
        Object.fromEntries(header.map((h, j) => [h, row[j]])),
      );
      expect(records.map((r) => r.weight)).toEqual(['2', '1']);
      expect(records.map((r) => r.overall_score)).toEqual([
        String(card.overall_score),
        String(card.overall_score),
      ]);
      const cac = card.results[1];
      expect(records[1].performance_percentile).toBe(
        String(Math.round((100 - cac.percentile_rank!) * 10) / 10),
      );
    });

    it('should give /scorecard as CSV with weights of 1e308 scored as equal weights, without NaN', async () => {
      const payload = {
        industry: 'retail',
        period: '2024-12-01',
        user_values: {
          revenue_per_employee: 180000,
          customer_acquisition_cost: 150,
        },
      };
      const equal = (
        await postJson(app, '/api/benchmarks/scorecard', payload)
      ).json<{ overall_score: number }>();
      const res = await asCsv('/api/benchmarks/scorecard', {
        ...payload,
        weights: {
          revenue_per_employee: 1e308,
          customer_acquisition_cost: 1e308,
        },
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('NaN');
      const [header, ...rows] = parseCsv(res.body);
      const records = rows.map((row) =>
        Object.fromEntries(header.map((h, j) => [h, row[j]])),
      );
      expect(records.map((r) => r.weight)).toEqual(['1e+308', '1e+308']);
      expect(records.map((r) => r.overall_score)).toEqual([
        String(equal.overall_score),
        String(equal.overall_score),
      ]);
    });

    it.each([
      ['application/json', false],
      ['text/html', false],
      ['*/*', false],
      ['application/json, text/csv;q=0.9', false],
      ['text/csv;q=0.9, application/json;q=0.5', true],
    ])(
      'should answer Accept %p with CSV: %p (JSON otherwise, never 406)',
      async (accept, csv) => {
        const res = await asCsv(
          '/api/benchmarks/compare',
          { industry: 'retail', user_values: { profit_margin: 0.1 } },
          accept,
        );
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain(
          csv ? 'text/csv' : 'application/json',
        );
      },
    );

    it('should still answer errors in JSON', async () => {
      const res = await asCsv('/api/benchmarks/compare', {
        industry: 'retail',
        user_values: {},
      });
      expectErrorAnswer(
        res,
        400,
        'user_values must contain at least one metric',
      );
      expect(res.headers['content-type']).toContain('application/json');
    });
  });
});
