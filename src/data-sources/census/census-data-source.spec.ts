import {
  DEFAULT_CENSUS_STUB_KEY,
  startCensusStub,
  type CensusStub,
} from '../../../tools/census-stub/census-stub-server';
import { stubRows } from '../../../tools/census-stub/census-stub-data';
import {
  DEFAULT_STUB_KEY,
  startBlsStub,
  type BlsStub,
} from '../../../tools/bls-stub/bls-stub-server';
import { MemoryCacheStore } from '../../cache/memory-cache-store';
import { ReadThroughCache } from '../../cache/read-through';
import type { SeriesQuery } from '../../domain/benchmark';
import {
  BLS_METRIC_NAMES,
  CENSUS_METRIC_NAMES,
  findIndustry,
} from '../../domain/catalog';
import { monthOf, monthToIsoDate } from '../../domain/months';
import { BlendedDataSource } from '../blended-data-source';
import { BlsClient } from '../bls/bls-client';
import { BlsDataSource } from '../bls/bls-data-source';
import { DailyQuota } from '../daily-quota';
import { describeDataSourceContract } from '../data-source.contract';
import { SyntheticDataSource } from '../synthetic/synthetic-data-source';
import { CensusClient } from './census-client';
import { CensusDataSource } from './census-data-source';

/** The tests' "now": Census has published 2023 (the stub's newest vintage); 2024 is asked for and not out yet. */
const NOW = new Date('2025-03-15T12:00:00Z');

let stub: CensusStub;
let bls: BlsStub;

beforeAll(async () => {
  [stub, bls] = await Promise.all([
    startCensusStub({ emptyNaics: ['722'] }),
    startBlsStub({ now: () => NOW }),
  ]);
});

afterAll(async () => {
  await Promise.all([stub.close(), bls.close()]);
});

function censusClient(cache = new MemoryCacheStore(100_000)): CensusClient {
  return new CensusClient(
    {
      baseUrl: stub.url,
      apiKey: DEFAULT_CENSUS_STUB_KEY,
      timeoutMs: 2000,
      maxRetries: 1,
      cacheTtlSeconds: 86_400,
      staleIfErrorSeconds: 86_400,
      retryBaseDelayMs: 5,
      coolDownMs: 50,
    },
    new ReadThroughCache(cache),
    new DailyQuota('census', cache, 10_000),
  );
}

function source(mode: 'census' | 'blended'): CensusDataSource {
  return new CensusDataSource(
    mode,
    censusClient(),
    new SyntheticDataSource(7),
    () => NOW,
  );
}

const query = (overrides: Partial<SeriesQuery> = {}): SeriesQuery => ({
  industry: 'retail',
  companySize: 'medium',
  region: 'northeast',
  metrics: [...CENSUS_METRIC_NAMES],
  start: monthOf(2021, 1),
  end: monthOf(2024, 12),
  ...overrides,
});

describeDataSourceContract(
  'CensusDataSource (census)',
  () => source('census'),
  {
    industry: 'construction',
    metrics: [...CENSUS_METRIC_NAMES],
  },
);
describeDataSourceContract(
  'BlendedDataSource (synthetic, BLS and Census)',
  () => {
    const synthetic = new SyntheticDataSource(7);
    const cache = new MemoryCacheStore(100_000);
    const blsClient = new BlsClient(
      {
        baseUrl: bls.url,
        apiKey: DEFAULT_STUB_KEY,
        timeoutMs: 2000,
        maxRetries: 1,
        cacheTtlSeconds: 86_400,
        retryBaseDelayMs: 5,
        coolDownMs: 50,
      },
      new ReadThroughCache(cache),
      new DailyQuota('bls', cache, 500),
    );
    return new BlendedDataSource(
      synthetic,
      new BlsDataSource('blended', blsClient, synthetic),
      new CensusDataSource(
        'blended',
        censusClient(cache),
        synthetic,
        () => NOW,
      ),
    );
  },
  {
    industry: 'hospitality',
    metrics: [
      ...findIndustry('hospitality')!.metrics,
      ...BLS_METRIC_NAMES,
      ...CENSUS_METRIC_NAMES,
    ],
  },
);

describe('CensusDataSource', () => {
  beforeEach(() => stub.setFault('none'));

  it('should serve each published year as one annual point of the year, and say what it summed', async () => {
    const [receipts] = await source('census').getSeries(
      query({ metrics: ['receipts_per_employee'] }),
    );
    expect(receipts.source).toBe('census');
    expect(receipts.points.map((p) => monthToIsoDate(p.month))).toEqual([
      '2021-01-01',
      '2022-01-01',
      '2023-01-01',
    ]);
    expect(receipts.points.every((p) => p.population === true)).toBe(true);
    expect(receipts.metadata).toMatchObject({
      census_dataset: 'abscs',
      naics: ['44-45'],
      company_size_employees: '20-99',
      size_classes: [
        '641 Firms with 20 to 49 employees',
        '642 Firms with 50 to 99 employees',
      ],
    });
    expect(String(receipts.metadata.attribution)).toMatch(
      /not endorsed or certified/,
    );
    expect(String(receipts.metadata.unpublished_note)).toMatch(
      /here 2024\), or before 2017, are left out/,
    );
  });

  it('should fill the years Census has not published with labelled stand-ins in blended mode', async () => {
    const [pay] = await source('blended').getSeries(
      query({ metrics: ['payroll_per_employee'] }),
    );
    expect(pay.source).toBe('mixed');
    expect(pay.points.map((p) => [monthToIsoDate(p.month), p.source])).toEqual([
      ['2021-01-01', 'census'],
      ['2022-01-01', 'census'],
      ['2023-01-01', 'census'],
      ['2024-01-01', 'synthetic'],
    ]);
  });

  it('should ask for the sector where Census has no rows for the finer code, and say so', async () => {
    const [receipts] = await source('census').getSeries(
      query({ industry: 'restaurant', metrics: ['receipts_per_employee'] }),
    );
    expect(receipts.metadata.naics).toEqual(['72']);
    expect(String(receipts.metadata.naics_note)).toMatch(
      /no rows for NAICS 722 .* its sector, NAICS 72/,
    );
    // Each year says so too, so that a comparison against it does.
    expect(receipts.yearNotes).toContainEqual({
      year: 2023,
      text: 'receipts_per_employee: Census publishes no 2023 rows for NAICS 722; the 2023 figure is for its sector, NAICS 72',
    });
    // The sector's national figure, from the stub's own U.S. rows of sector 72.
    const national = await source('census').getSeries(
      query({
        industry: 'restaurant',
        region: 'national',
        metrics: ['receipts_per_employee'],
      }),
    );
    const rows = stubRows('abscs', 2023, '72', 'us')!.filter((r) =>
      ['641', '642'].includes(r.sizeCode),
    );
    const sum = (f: 'receipts' | 'employees') =>
      rows.reduce((s, r) => s + Number(r[f]!.value), 0);
    expect(national[0].points.at(-1)!.value).toBeCloseTo(
      (sum('receipts') / sum('employees')) * 1000,
      2,
    );
  });

  it('should keep the years it has real answers for when Census fails for another, and say which are stand-ins', async () => {
    const client = censusClient();
    const src = new CensusDataSource(
      'census',
      client,
      new SyntheticDataSource(7),
      () => NOW,
    );
    const ask = (start: number) =>
      src.getSeries(
        query({
          metrics: ['receipts_per_employee'],
          start: monthOf(start, 1),
          end: monthOf(2023, 12),
        }),
      );
    const [fresh] = await ask(2022);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 1.5 * 86_400_000); // past the TTL, within the keep window
    stub.setFault('500');
    try {
      const [series] = await ask(2021);
      expect(
        series.points.map((p) => [monthToIsoDate(p.month), p.source]),
      ).toEqual([
        ['2021-01-01', 'synthetic'],
        ['2022-01-01', 'census'],
        ['2023-01-01', 'census'],
      ]);
      expect(series.points.slice(1).map((p) => p.value)).toEqual(
        fresh.points.map((p) => p.value),
      );
      expect(series.source).toBe('mixed');
      expect(series.warnings).toEqual([
        expect.stringMatching(
          /^receipts_per_employee: the Census API is unavailable: .*; serving the last Census answer, fetched/,
        ),
        expect.stringMatching(
          /^receipts_per_employee: the Census API is unavailable: HTTP 500; synthetic stand-ins are served for 2021 instead/,
        ),
      ]);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('should serve stand-ins with a warning when Census fails with nothing kept, and never throw', async () => {
    stub.setFault('500');
    const [receipts] = await source('census').getSeries(
      query({ metrics: ['receipts_per_employee'] }),
    );
    expect(receipts.source).toBe('synthetic');
    expect(receipts.points.length).toBeGreaterThan(0);
    expect(receipts.warnings).toEqual([
      expect.stringMatching(
        /^receipts_per_employee: the Census API is unavailable: HTTP 500.*synthetic stand-ins are served instead/,
      ),
    ]);
  });
});
