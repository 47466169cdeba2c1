import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DEFAULT_CENSUS_STUB_KEY,
  startCensusStub,
  type CensusStub,
} from '../tools/census-stub/census-stub-server';
import {
  STUB_LATEST_YEAR,
  STUB_WITHHELD,
  stubRows,
  type StubFigure,
  type StubRow,
} from '../tools/census-stub/census-stub-data';
import {
  DEFAULT_STUB_KEY,
  startBlsStub,
} from '../tools/bls-stub/bls-stub-server';
import { INDUSTRY_KEYS } from '../src/domain/catalog';
import { COMPANY_SIZES, REGIONS } from '../src/domain/enums';
import { roundToUnit } from '../src/domain/format';
import { REGION_STATES, STATE_FIPS } from '../src/domain/us-states';
import { createTestApp, TEST_NOW } from './utils/create-test-app';
import { postJson } from './utils/http';

interface Point {
  period: string;
  value: number;
  sample_size: number | null;
  source: string;
  peer_group: { company_size: string; region: string; fallback: boolean };
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
  benchmark_period: string;
  sample_size: number | null;
  source: string;
  interpretation_text: string;
  confidence: string;
  peer_group: { company_size: string; region: string; fallback: boolean };
  warnings: string[];
}

const CENSUS_METRICS = [
  'receipts_per_employee',
  'payroll_per_employee',
  'payroll_to_receipts',
];

/** The NAICS codes Census publishes each industry under (the mapping, written out independently). */
const NAICS: Record<string, string> = {
  retail: '44-45',
  restaurant: '722',
  professional_services: '54',
  manufacturing: '31-33',
  healthcare: '62',
  technology: '5415',
  hospitality: '721',
  construction: '23',
  education: '61',
  real_estate: '53',
};

/** The size classes each company size sums, by dataset (small 1-19, medium 20-99, large 100-499 employees). */
const CLASSES: Record<'abscs' | 'cbp', Record<string, string[]>> = {
  abscs: {
    small: ['612', '620', '630'],
    medium: ['641', '642'],
    large: ['651', '652'],
    all: ['001'],
  },
  cbp: {
    small: ['210', '220', '230'],
    medium: ['241', '242'],
    large: ['251', '252'],
    all: ['001'],
  },
};

const FORMULA: Record<
  string,
  {
    dataset: 'abscs' | 'cbp';
    num: 'receipts' | 'payroll';
    den: 'employees' | 'receipts';
    scale: number;
    unit: string;
  }
> = {
  receipts_per_employee: {
    dataset: 'abscs',
    num: 'receipts',
    den: 'employees',
    scale: 1000,
    unit: 'usd',
  },
  payroll_per_employee: {
    dataset: 'cbp',
    num: 'payroll',
    den: 'employees',
    scale: 1000,
    unit: 'usd',
  },
  payroll_to_receipts: {
    dataset: 'abscs',
    num: 'payroll',
    den: 'receipts',
    scale: 1,
    unit: 'fraction',
  },
};

const stubCells = new Map<string, StubRow[]>();
/** The stub's rows of one answer (computed once per test run). */
function rowsOf(
  dataset: 'abscs' | 'cbp',
  year: number,
  naics: string,
  geo: 'state' | 'us',
): StubRow[] {
  const key = `${dataset}|${year}|${naics}|${geo}`;
  if (!stubCells.has(key))
    stubCells.set(key, stubRows(dataset, year, naics, geo)!);
  return stubCells.get(key)!;
}

const isPublished = (f: StubFigure | undefined): f is StubFigure =>
  f !== undefined && f.flag === null && Number(f.value) > 0;

/**
 * The figure of a peer group computed from the stub's own cells: numerator and denominator summed over the region's
 * states (the U.S. rows nationally) and the size's classes, counting a cell only when both are published; then
 * divided. The firms or establishments summed over the same cells.
 */
function expectedFigure(
  metric: string,
  industry: string,
  year: number,
  size: string,
  region: string,
): { value: number; units: number } {
  const f = FORMULA[metric];
  const national = region === 'national';
  const rows = rowsOf(
    f.dataset,
    year,
    NAICS[industry],
    national ? 'us' : 'state',
  );
  const geos = new Set(
    national
      ? ['us']
      : REGION_STATES[region as 'west'].map((s) => STATE_FIPS[s]),
  );
  const used = rows.filter(
    (r: StubRow) =>
      geos.has(r.geo) &&
      CLASSES[f.dataset][size].includes(r.sizeCode) &&
      isPublished(r[f.num]) &&
      isPublished(r[f.den]),
  );
  // Every size of ABS: the all-firms rows less the firms with no employees (611) of the same geographies.
  const none =
    size === 'all' && f.dataset === 'abscs'
      ? rows.filter(
          (r) => r.sizeCode === '611' && used.some((u) => u.geo === r.geo),
        )
      : [];
  const sum = (pick: (r: StubRow) => StubFigure | undefined) =>
    used.reduce((s, r) => s + Number(pick(r)!.value), 0) -
    none.reduce((s, r) => s + Number(pick(r)?.value ?? 0), 0);
  return {
    value: roundToUnit(
      (sum((r) => r[f.num]) / sum((r) => r[f.den])) * f.scale,
      f.unit as 'usd' | 'fraction',
    ),
    units: sum((r) => r.units),
  };
}

describe('Census data source (e2e, against the Census stub server)', () => {
  let stub: CensusStub;
  let census: NestFastifyApplication;
  let blended: NestFastifyApplication;

  const env = (mode: string, extra: Record<string, string> = {}) => ({
    DATA_SOURCE: mode,
    CENSUS_API_URL: stub.url,
    CENSUS_API_KEY: DEFAULT_CENSUS_STUB_KEY,
    CENSUS_MAX_RETRIES: '1',
    // Generous: the stub shares this process with two apps and other suites' load; no test here waits for a timeout.
    CENSUS_TIMEOUT_MS: '5000',
    CENSUS_COOLDOWN_MS: '50',
    ...extra,
  });
  const post = (app: NestFastifyApplication, url: string, payload: unknown) =>
    postJson(app, `/api/benchmarks/${url}`, payload);
  const years = { start_date: '2017-01-01', end_date: '2024-12-31' };

  beforeAll(async () => {
    // The stub publishes up to 2023; at the tests' "now" (March 2025) 2024 is asked for and not published yet.
    stub = await startCensusStub();
    census = await createTestApp({ env: env('census') });
    blended = await createTestApp({ env: env('blended') });
  });

  afterAll(async () => {
    await Promise.all([census.close(), blended.close()]);
    await stub.close();
  });

  beforeEach(() => stub.setFault('none'));

  it('should list the Census metrics with definitions saying program, unit and direction', async () => {
    const res = await census.inject({
      method: 'GET',
      url: '/api/benchmarks/metrics/retail',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      metrics: string[];
      definitions: Array<Record<string, string>>;
    }>();
    expect(body.metrics).toEqual(CENSUS_METRICS);
    expect(
      body.definitions.find((d) => d.name === 'payroll_to_receipts'),
    ).toMatchObject({
      source: 'census',
      direction: 'lower_is_better',
      frequency: 'annual',
    });
    const all = await blended.inject({
      method: 'GET',
      url: '/api/benchmarks/metrics/retail',
    });
    expect(all.json<{ metrics: string[] }>().metrics).toEqual(
      expect.arrayContaining([
        ...CENSUS_METRICS,
        'revenue_per_employee',
        'average_annual_pay',
      ]),
    );
  });

  it('should serve every industry x size x region from Census, each figure the sum of the stub cells it stands for', async () => {
    let fallbacks = 0;
    let points = 0;
    for (const industry of INDUSTRY_KEYS)
      for (const size of COMPANY_SIZES)
        for (const region of REGIONS) {
          const res = await post(census, 'data', {
            industry,
            company_size: size,
            region,
            metrics: CENSUS_METRICS,
            ...years,
          });
          expect(res.statusCode).toBe(200);
          for (const series of res.json<Series[]>()) {
            expect(series.source).toBe('census');
            // Quality notes only: CBP's high-noise flag J, or an ABS relative standard error over 20%.
            for (const w of series.warnings)
              expect(w).toMatch(
                new RegExp(
                  `^${series.metric_name}: the Census (Annual Business Survey|County Business Patterns) \\d{4} figure.* carries (flag J, high noise|relative standard error about \\d+%)`,
                ),
              );
            // 2017..2023 published; 2024 is not yet, and the census mode leaves it out.
            expect(series.data_points.map((p) => p.period)).toEqual(
              [2017, 2018, 2019, 2020, 2021, 2022, 2023].map(
                (y) => `${y}-01-01`,
              ),
            );
            for (const p of series.data_points) {
              points++;
              expect(p.source).toBe('census');
              const level = p.peer_group;
              if (level.fallback) fallbacks++;
              else expect(level).toMatchObject({ company_size: size, region });
              const expected = expectedFigure(
                series.metric_name,
                industry,
                Number(p.period.slice(0, 4)),
                level.company_size,
                level.region,
              );
              expect({
                cell: [industry, size, region, p.period],
                value: p.value,
              }).toEqual({
                cell: [industry, size, region, p.period],
                value: expected.value,
              });
              if (p.sample_size !== null)
                expect(p.sample_size).toBe(expected.units);
            }
          }
        }
    expect(points).toBe(INDUSTRY_KEYS.length * 3 * REGIONS.length * 3 * 7);
    expect(fallbacks).toBeGreaterThan(0);
  }, 60_000);

  it('should fall back, labelled, where Census withholds the cell (large hotels in the Southwest)', async () => {
    expect(STUB_WITHHELD.naics).toBe(NAICS.hospitality);
    const res = await post(census, 'data', {
      industry: 'hospitality',
      company_size: 'large',
      region: 'southwest',
      metrics: ['receipts_per_employee'],
      ...years,
    });
    const [series] = res.json<Series[]>();
    expect(series.data_points).toHaveLength(7);
    for (const p of series.data_points)
      expect(p.peer_group).toEqual({
        company_size: 'large',
        region: 'national',
        fallback: true,
      });
    expect(series.metadata).toMatchObject({
      company_size_employees: '100-499',
      fell_back: true,
    });

    const compared = await post(census, 'compare', {
      industry: 'hospitality',
      company_size: 'large',
      region: 'southwest',
      period: '2025-02-01',
      user_values: { receipts_per_employee: 150000, payroll_to_receipts: 0.3 },
    });
    expect(compared.statusCode).toBe(200);
    const [receipts, payroll] = compared.json<Result[]>();
    const expected = expectedFigure(
      'receipts_per_employee',
      'hospitality',
      STUB_LATEST_YEAR,
      'large',
      'national',
    );
    expect(receipts).toMatchObject({
      source: 'census',
      benchmark_period: `${STUB_LATEST_YEAR}-01-01`,
      benchmark_value: expected.value,
      sample_size: expected.units,
      // A mean only: no distribution to place the business in.
      confidence: 'low',
      peer_group: { company_size: 'large', region: 'national', fallback: true },
    });
    expect(receipts.interpretation_text).toContain(
      `(Census Annual Business Survey, ${STUB_LATEST_YEAR}, ${expected.units.toLocaleString('en-US')} firms)`,
    );
    expect(receipts.interpretation_text).toMatch(/100-499 employees/);
    expect(payroll.interpretation_text).toMatch(/lower|higher/);

    // A scorecard ranks by performance percentiles: Census means are listed with their sentences, scored metrics
    // come from the other sources (blended).
    const card = await post(blended, 'scorecard', {
      industry: 'hospitality',
      company_size: 'large',
      region: 'southwest',
      period: '2025-02-01',
      user_values: {
        receipts_per_employee: 150000,
        payroll_per_employee: 40000,
        revenue_per_employee: 150000,
      },
    });
    expect(card.statusCode).toBe(200);
    const body = card.json<{ results: Result[]; summary: string }>();
    expect(body.results.map((r) => r.source)).toEqual([
      'census',
      'census',
      'synthetic',
    ]);
    expect(body.results[0].peer_group).toMatchObject({ fallback: true });
    expect(body.results[1].interpretation_text).toContain(
      `(Census County Business Patterns, ${STUB_LATEST_YEAR}`,
    );
    const censusOnly = await post(census, 'scorecard', {
      industry: 'hospitality',
      user_values: { receipts_per_employee: 150000 },
    });
    expect(censusOnly.statusCode).toBe(400);
    expect(censusOnly.json<{ message: string }>().message).toMatch(
      /receipts_per_employee .*no percentiles/,
    );
  });

  it('should compare with the newest Census year in blended mode, with stand-ins only where Census has no year', async () => {
    const res = await post(blended, 'data', {
      industry: 'retail',
      company_size: 'medium',
      region: 'northeast',
      metrics: ['receipts_per_employee', 'revenue_per_employee'],
      ...years,
    });
    const [receipts, modelled] = res.json<Series[]>();
    expect(receipts.source).toBe('mixed');
    expect(
      receipts.data_points.map((p) => [p.period.slice(0, 4), p.source]),
    ).toEqual([
      ...[2017, 2018, 2019, 2020, 2021, 2022, 2023].map((y) => [
        String(y),
        'census',
      ]),
      ['2024', 'synthetic'],
    ]);
    expect(modelled.source).toBe('synthetic');

    const compared = await post(blended, 'compare', {
      industry: 'retail',
      company_size: 'medium',
      region: 'northeast',
      period: '2025-02-01',
      user_values: { receipts_per_employee: 150000 },
    });
    const [result] = compared.json<Result[]>();
    expect(result).toMatchObject({
      source: 'census',
      benchmark_period: `${STUB_LATEST_YEAR}-01-01`,
      benchmark_value: expectedFigure(
        'receipts_per_employee',
        'retail',
        STUB_LATEST_YEAR,
        'medium',
        'northeast',
      ).value,
    });
    expect(result.interpretation_text).toMatch(
      /retail firms with 20-99 employees in the northeast \(Census Annual Business Survey, 2023(, [\d,]+ firms)?\)/,
    );
  });

  it('should serve stand-ins, labelled, when Census fails with nothing kept; never a 5xx, never the key', async () => {
    const app = await createTestApp({ env: env('blended') });
    try {
      for (const fault of ['500', '429', 'html', 'key'] as const) {
        stub.setFault(fault);
        const res = await post(app, 'data', {
          industry: 'education',
          company_size: 'small',
          metrics: ['payroll_per_employee'],
          ...years,
        });
        expect(res.statusCode).toBe(200);
        const [series] = res.json<Series[]>();
        expect(series.source).toBe('synthetic');
        expect(series.data_points.every((p) => p.source === 'synthetic')).toBe(
          true,
        );
        expect(series.warnings[0]).toMatch(
          /^payroll_per_employee: .*synthetic stand-ins/,
        );
        expect(res.headers['x-data-warnings']).toMatch(
          /^1; payroll_per_employee/,
        );
        expect(JSON.stringify(res.headers) + res.body).not.toContain(
          DEFAULT_CENSUS_STUB_KEY,
        );
        await new Promise((r) => setTimeout(r, 60)); // the breaker's cool-down
      }
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toContain('census_requests_total');
      expect(metrics.body).not.toContain(DEFAULT_CENSUS_STUB_KEY);
    } finally {
      await app.close();
    }
  });

  it('should serve the kept real answers, said stale, when Census and BLS fail after their TTL', async () => {
    const bls = await startBlsStub({ now: () => TEST_NOW });
    const app = await createTestApp({
      env: env('blended', {
        CACHE_TTL_SECONDS: '1',
        CENSUS_CACHE_TTL_SECONDS: '1',
        BLS_CACHE_TTL_SECONDS: '1',
        BLS_API_URL: bls.url,
        BLS_API_KEY: DEFAULT_STUB_KEY,
        BLS_MAX_RETRIES: '1',
        BLS_TIMEOUT_MS: '1000',
        BLS_COOLDOWN_MS: '50',
      }),
    });
    const payload = {
      industry: 'construction',
      company_size: 'large',
      region: 'west',
      metrics: ['receipts_per_employee', 'average_annual_pay'],
      start_date: '2022-01-01',
      end_date: '2023-12-31',
    };
    try {
      const fresh = await post(app, 'data', payload);
      const [receipts, pay] = fresh.json<Series[]>();
      expect([receipts.source, pay.source]).toEqual(['census', 'bls']);
      expect(fresh.headers['x-data-warnings']).toBeUndefined();

      await new Promise((r) => setTimeout(r, 1100)); // past both TTLs
      stub.setFault('500');
      bls.setFault('500');
      // Admin-free way past the benchmark cache: a range not asked before reads the sources again.
      const res = await post(app, 'data', {
        ...payload,
        end_date: '2023-11-30',
      });
      expect(res.statusCode).toBe(200);
      const [keptReceipts, keptPay] = res.json<Series[]>();
      expect(keptReceipts.source).toBe('census');
      expect(keptReceipts.data_points.map((p) => p.value)).toEqual(
        receipts.data_points.map((p) => p.value),
      );
      expect(keptReceipts.warnings[0]).toMatch(
        /^receipts_per_employee: the Census API is unavailable: HTTP 500; serving the last Census answer, fetched \d{4}-\d\d-\d\d \(\d+ seconds? ago\) and kept for such failures$/,
      );
      expect(keptPay.source).toBe('bls');
      expect(keptPay.warnings[0]).toMatch(/^average_annual_pay: BLS .*kept/i);
      expect(res.headers['x-data-warnings']).toMatch(/^2; /);
      expect(res.body).not.toContain(DEFAULT_CENSUS_STUB_KEY);
      expect(res.body).not.toContain(DEFAULT_STUB_KEY);
    } finally {
      bls.setFault('none');
      await app.close();
      await bls.close();
    }
  });

  it('should serve no Census metric in blended mode without a key', async () => {
    const app = await createTestApp({ env: { DATA_SOURCE: 'blended' } });
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/metrics/retail',
      });
      expect(res.json<{ metrics: string[] }>().metrics).not.toContain(
        'receipts_per_employee',
      );
      const asked = await post(app, 'data', {
        industry: 'retail',
        metrics: ['receipts_per_employee'],
      });
      expect(asked.statusCode).toBe(404);
      expect(asked.json<{ message: string }>().message).toMatch(
        /receipts_per_employee/,
      );
    } finally {
      await app.close();
    }
  });
});
