import { Logger } from '@nestjs/common';
import {
  startBlsStub,
  DEFAULT_STUB_KEY,
  type BlsStub,
} from '../../../tools/bls-stub/bls-stub-server';
import {
  stubObservations,
  stubValue,
} from '../../../tools/bls-stub/bls-stub-data';
import { MemoryCacheStore } from '../../cache/memory-cache-store';
import { ReadThroughCache } from '../../cache/read-through';
import type { BenchmarkSeries, SeriesQuery } from '../../domain/benchmark';
import {
  BLS_METRIC_NAMES,
  findIndustry,
  INDUSTRY_KEYS,
} from '../../domain/catalog';
import { COMPANY_SIZES, REGIONS } from '../../domain/enums';
import { monthOf, monthToIsoDate } from '../../domain/months';
import { describeDataSourceContract } from '../data-source.contract';
import { SyntheticDataSource } from '../synthetic/synthetic-data-source';
import { BlsClient } from './bls-client';
import { BlsDataSource } from './bls-data-source';
import { DailyQuota } from '../daily-quota';
import {
  BLS_INDUSTRIES,
  oewsWageSeriesIds,
  qcewAreas,
  qcewSeriesId,
} from './bls-series-ids';
import { annualPay, type AreaSeries } from './qcew-aggregation';

/** The stub's "now": OEWS 2023 is the newest published year, QCEW up to the second quarter of 2024. */
const NOW = new Date('2025-03-15T12:00:00Z');

let stub: BlsStub;

beforeAll(async () => {
  stub = await startBlsStub({ now: () => NOW });
});

afterAll(async () => {
  await stub.close();
});

function makeClient(cache = new MemoryCacheStore(100_000)) {
  return new BlsClient(
    {
      baseUrl: stub.url,
      apiKey: DEFAULT_STUB_KEY,
      timeoutMs: 2000,
      maxRetries: 1,
      cacheTtlSeconds: 86400,
      retryBaseDelayMs: 5,
      coolDownMs: 50,
    },
    new ReadThroughCache(cache),
    new DailyQuota('bls', cache, 500),
  );
}

function source(mode: 'bls' | 'blended'): BlsDataSource {
  return new BlsDataSource(mode, makeClient(), new SyntheticDataSource(7));
}

const query = (overrides: Partial<SeriesQuery> = {}): SeriesQuery => ({
  industry: 'retail',
  companySize: 'medium',
  region: 'national',
  metrics: [...BLS_METRIC_NAMES],
  start: monthOf(2021, 1),
  end: monthOf(2024, 12),
  ...overrides,
});

describeDataSourceContract('BlsDataSource (bls)', () => source('bls'), {
  industry: 'retail',
  metrics: [...BLS_METRIC_NAMES],
});
describeDataSourceContract('BlsDataSource (blended)', () => source('blended'), {
  industry: 'hospitality',
  metrics: [...findIndustry('hospitality')!.metrics, ...BLS_METRIC_NAMES],
});

describe('BlsDataSource', () => {
  beforeEach(() => {
    stub.setFault('none');
    stub.resetCounters();
  });

  describe('getSeries (seasonally adjusted)', () => {
    it('should call annual figures adjusted and say honestly that quarterly QCEW figures cannot be', async () => {
      const series = await source('bls').getSeries(
        query({ seasonallyAdjusted: true }),
      );
      const byName = new Map(series.map((s) => [s.metricName, s.metadata]));
      expect(byName.get('average_annual_pay')?.seasonally_adjusted).toBe(true);
      expect(byName.get('average_weekly_wage')?.seasonally_adjusted).toBe(
        false,
      );
      expect(
        byName.get('average_weekly_wage')?.seasonal_adjustment_note,
      ).toContain('cannot adjust');
    });

    it('should say nothing about adjustment when it was not asked for', async () => {
      const series = await source('bls').getSeries(query());
      expect(series.every((s) => !('seasonally_adjusted' in s.metadata))).toBe(
        true,
      );
    });
  });

  describe('onModuleInit', () => {
    it('should say once, at start, that it runs unregistered when there is no key', () => {
      const warn = jest
        .spyOn(Logger.prototype, 'warn')
        .mockImplementation(() => undefined);
      try {
        const cache = new MemoryCacheStore(10);
        const keyless = new BlsClient(
          {
            baseUrl: stub.url,
            timeoutMs: 1000,
            maxRetries: 0,
            cacheTtlSeconds: 60,
          },
          new ReadThroughCache(cache),
          new DailyQuota('bls', cache, 25),
        );
        new BlsDataSource(
          'bls',
          keyless,
          new SyntheticDataSource(7),
        ).onModuleInit();
        source('bls').onModuleInit();
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0][0])).toMatch(
          /BLS_API_KEY is not set: running unregistered/,
        );
      } finally {
        warn.mockRestore();
      }
    });
  });

  describe('metricNames', () => {
    it('should list only the BLS metrics in bls mode and every metric in blended mode', () => {
      const retail = findIndustry('retail')!;
      expect(source('bls').metricNames(retail)).toEqual(BLS_METRIC_NAMES);
      expect(source('blended').metricNames(retail)).toEqual([
        ...retail.metrics,
        ...BLS_METRIC_NAMES,
      ]);
    });
  });

  describe('getSeries', () => {
    it('should serve BLS numbers at their own frequency, labelled bls, with no warnings', async () => {
      const series = await source('bls').getSeries(query());
      const byName = new Map(series.map((s) => [s.metricName, s]));
      const wages = byName.get('annual_wage_per_employee')!;
      expect(wages.frequency).toBe('annual');
      // The API holds one OEWS year, the May 2023 estimates at NOW: the only point.
      expect(wages.points.map((p) => monthToIsoDate(p.month))).toEqual([
        '2023-01-01',
      ]);
      expect(wages.metadata.oews_year).toBe(2023);
      for (const p of wages.points) {
        expect(p.source).toBe('bls');
        expect(p.percentiles).not.toBeNull();
        expect(p.value).toBe(p.percentiles!.p50);
        expect(p.sampleSize).toBeNull();
      }
      const weekly = byName.get('average_weekly_wage')!;
      expect(weekly.frequency).toBe('quarterly');
      expect(weekly.points.at(-1)!.month).toBe(monthOf(2024, 4)); // Q2 2024, the newest published
      for (const s of series) {
        expect(s.source).toBe('bls');
        expect(s.warnings).toEqual([]);
        expect(s.metadata.company_size_note).toMatch(/no company-size classes/);
      }
      expect(
        byName
          .get('average_annual_pay')!
          .points.every((p) => p.percentiles === null),
      ).toBe(true);
    });

    it.each(INDUSTRY_KEYS)(
      'should serve %s the five OEWS percentiles BLS sent for its latest year',
      async (industry) => {
        const [wages] = await source('bls').getSeries(
          query({ industry, metrics: ['annual_wage_per_employee'] }),
        );
        const ids = oewsWageSeriesIds(industry);
        const sent = ids.map((id) => Number(stubValue(id, 2023, 'A01', NOW)));
        expect(wages.points).toEqual([
          {
            month: monthOf(2023, 1),
            value: sent[2],
            percentiles: {
              p10: sent[0],
              p25: sent[1],
              p50: sent[2],
              p75: sent[3],
              p90: sent[4],
            },
            sampleSize: null,
            source: 'bls',
          },
        ]);
        expect(wages.metadata).toMatchObject({
          oews_industry: BLS_INDUSTRIES[industry].oews,
          bls_series_ids: ids,
        });
      },
    );

    it('should leave earlier OEWS years out in bls mode, with a note on each that the API no longer holds them', async () => {
      const [wages] = await source('bls').getSeries(
        query({ metrics: ['annual_wage_per_employee'] }),
      );
      expect(wages.points).toHaveLength(1);
      expect(wages.metadata.unpublished_note).toMatch(/left out/);
      expect(wages.warnings).toEqual([]);
      expect(wages.yearNotes!.map((n) => n.year)).toEqual([2021, 2022]);
      for (const note of wages.yearNotes!)
        expect(note.text).toBe(
          "annual_wage_per_employee: the BLS API serves only its latest OEWS year, 2023 (May 2023 estimates); it no longer holds earlier years (BLS's downloadable OEWS tables do), so they are left out",
        );
    });

    it('should fill OEWS years BLS does not serve with labelled synthetic points in blended mode', async () => {
      const [wages] = await source('blended').getSeries(
        query({ metrics: ['annual_wage_per_employee'] }),
      );
      expect(wages.points.map((p) => p.source)).toEqual([
        'synthetic',
        'synthetic',
        'bls',
        'synthetic',
      ]);
      expect(wages.source).toBe('mixed');
      expect(wages.warnings).toEqual([]);
      expect(wages.yearNotes!.map((n) => n.year)).toEqual([2021, 2022]);
      expect(wages.yearNotes![0].text).toMatch(
        /serves only its latest OEWS year, 2023 .* synthetic stand-ins are served for them/,
      );
    });

    it('should add no year note when the query starts in the OEWS year', async () => {
      const [wages] = await source('blended').getSeries(
        query({
          metrics: ['annual_wage_per_employee'],
          start: monthOf(2023, 1),
        }),
      );
      expect(wages.yearNotes).toBeUndefined();
    });

    it.each([
      [
        'a percentile',
        4,
        (wages: BenchmarkSeries) => {
          expect(wages.points).toHaveLength(1);
          expect(wages.points[0].percentiles).toBeNull();
          expect(wages.points[0].value).toBe(300);
          expect(wages.metadata.withheld_note).toMatch(/only the median/);
        },
      ],
      [
        'the median',
        2,
        (wages: BenchmarkSeries) => {
          expect(wages.points).toEqual([]);
          expect(wages.yearNotes).toContainEqual({
            year: 2023,
            text: expect.stringMatching(
              /BLS withheld the median of its OEWS year 2023/,
            ) as string,
          });
        },
      ],
    ])(
      'should say so when BLS withholds %s of its OEWS year',
      async (_what, withheld, check) => {
        const fake = {
          unregistered: false,
          scrub: (text: string) => text,
          fetchLatest: async (ids: readonly string[]) =>
            new Map(
              ids.map((id, i) => [
                id,
                {
                  status: 'ok' as const,
                  observations: [
                    {
                      year: 2023,
                      period: 'A01',
                      value: i % 5 === withheld ? null : 100 * ((i % 5) + 1),
                      footnoteCodes: i % 5 === withheld ? ['5'] : [],
                    },
                  ],
                },
              ]),
            ),
        } as unknown as BlsClient;
        const [wages] = await new BlsDataSource(
          'bls',
          fake,
          new SyntheticDataSource(7),
        ).getSeries(
          query({
            metrics: ['annual_wage_per_employee'],
            start: monthOf(2023, 1),
          }),
        );
        check(wages);
      },
    );

    it('should ask BLS once for OEWS, without years, and once for QCEW, no series twice', async () => {
      const before = stub.requests.length;
      await source('blended').getSeries(
        query({
          region: 'southeast',
          start: monthOf(2023, 1),
          end: monthOf(2023, 12),
        }),
      );
      const sent = stub.requests
        .slice(before)
        .map((r) => r.body as Record<string, unknown>);
      expect(sent).toHaveLength(2);
      const oews = sent.find((b) =>
        (b.seriesid as string[])[0].startsWith('OE'),
      )!;
      const qcew = sent.find((b) => b !== oews)!;
      // every industry's five wage series at once: the latest year for all of them in one request
      expect(oews.seriesid).toHaveLength(50);
      expect(oews).not.toHaveProperty('startyear');
      // employment and wages of 13 states
      const ids = qcew.seriesid as string[];
      expect(ids).toHaveLength(26);
      expect(new Set(ids).size).toBe(26);
      expect(qcew).toMatchObject({ startyear: '2022', endyear: '2023' });
    });

    it('should never build a series ID BLS does not have, for any industry, size, region and metric', async () => {
      const asked = new Set<string>();
      const catalogue = {
        unregistered: false,
        scrub: (text: string) => text,
        fetchLatest: async (ids: readonly string[]) =>
          new Map(
            ids.map((id) => {
              asked.add(id);
              return [id, { status: 'ok' as const, observations: [] }];
            }),
          ),
        fetchSeries: async (ids: readonly string[]) =>
          new Map(
            ids.map((id) => {
              asked.add(id);
              return [id, { status: 'ok' as const, observations: [] }];
            }),
          ),
      } as unknown as BlsClient;
      const blsSource = new BlsDataSource(
        'bls',
        catalogue,
        new SyntheticDataSource(7),
      );
      for (const industry of INDUSTRY_KEYS)
        for (const companySize of COMPANY_SIZES)
          for (const region of REGIONS)
            await blsSource.getSeries(query({ industry, companySize, region }));
      // The stub serves exactly the codes the real database is known to have (bls-api.md §2.1-§2.3).
      const missing = [...asked].filter(
        (id) => stubObservations(id, 2023, 2023, NOW) === undefined,
      );
      expect(missing).toEqual([]);
      expect(asked.size).toBeGreaterThan(50 + 2 * 51);
    });

    it('should warn, and fill with stand-ins, when BLS says a needed series does not exist', async () => {
      const notFound = {
        unregistered: false,
        scrub: (text: string) => text,
        fetchSeries: async (ids: readonly string[]) =>
          new Map(
            ids.map((id) => [
              id,
              { status: 'not_found' as const, observations: [] },
            ]),
          ),
      } as unknown as BlsClient;
      const blsSource = new BlsDataSource(
        'bls',
        notFound,
        new SyntheticDataSource(7),
      );
      const [pay] = await blsSource.getSeries(
        query({ metrics: ['average_annual_pay'] }),
      );
      expect(pay.warnings).toHaveLength(1);
      expect(pay.warnings[0]).toMatch(
        /BLS does not publish 2 of the 2 series it needs \(ENUUS00010544-45/,
      );
      expect(pay.points.length).toBe(4);
      expect(pay.points.every((p) => p.source === 'synthetic')).toBe(true);
    });

    it('should serve synthetic metrics from the generator in blended mode', async () => {
      const [margin] = await source('blended').getSeries(
        query({ metrics: ['profit_margin'] }),
      );
      expect(margin.source).toBe('synthetic');
      expect(margin.frequency).toBe('monthly');
      expect(margin.points).toHaveLength(48);
    });

    it('should give the national percentiles to a regional cell of OEWS wages, and say so', async () => {
      const [national] = await source('bls').getSeries(
        query({ metrics: ['annual_wage_per_employee'] }),
      );
      const [west] = await source('bls').getSeries(
        query({
          metrics: ['annual_wage_per_employee'],
          region: 'west',
          companySize: 'small',
        }),
      );
      expect(west.points).toEqual(national.points);
      expect(west.metadata.region_note).toMatch(/nation only/);
    });

    it('should sum state wages and employment for a region, never averaging averages', async () => {
      const [west] = await source('bls').getSeries(
        query({
          metrics: ['average_annual_pay'],
          region: 'west',
          start: monthOf(2023, 1),
          end: monthOf(2023, 12),
        }),
      );
      const industry = BLS_INDUSTRIES.retail.qcew.code;
      const areas = qcewAreas('west');
      const ids = areas.flatMap((a) => [
        qcewSeriesId(a, '1', industry),
        qcewSeriesId(a, '3', industry),
      ]);
      const raw = await makeClient().fetchSeries(ids, 2023, 2023);
      const areaSeries: AreaSeries[] = areas.map((area) => ({
        area,
        employment: raw.get(qcewSeriesId(area, '1', industry))!.observations,
        wages: raw.get(qcewSeriesId(area, '3', industry))!.observations,
      }));
      expect(west.points).toHaveLength(1);
      expect(west.points[0].value).toBeCloseTo(
        annualPay(areaSeries, 2023)!.value,
        2,
      );
      expect(west.metadata.region_note).toMatch(/Sum of 11 states/);
    });

    it('should make the national figure agree with the sum over all states', async () => {
      const [national] = await source('bls').getSeries(
        query({
          metrics: ['average_annual_pay'],
          start: monthOf(2023, 1),
          end: monthOf(2023, 12),
        }),
      );
      const industry = BLS_INDUSTRIES.retail.qcew.code;
      const states = (
        ['northeast', 'midwest', 'southeast', 'southwest', 'west'] as const
      ).flatMap(qcewAreas);
      expect(states).toHaveLength(51);
      const ids = states.flatMap((a) => [
        qcewSeriesId(a, '1', industry),
        qcewSeriesId(a, '3', industry),
      ]);
      const raw = await makeClient().fetchSeries(ids, 2023, 2023);
      const allStates = annualPay(
        states.map((area) => ({
          area,
          employment: raw.get(qcewSeriesId(area, '1', industry))!.observations,
          wages: raw.get(qcewSeriesId(area, '3', industry))!.observations,
        })),
        2023,
      )!;
      // The stub's U.S. series are the exact sums of its states, as QCEW's are of published cells.
      expect(national.points[0].value).toBeCloseTo(allStates.value, 0);
    });

    it("should serve restaurants in a region from their states' sector 72 series, and say so", async () => {
      const before = stub.requests.length;
      const [west] = await source('bls').getSeries(
        query({
          industry: 'restaurant',
          metrics: ['average_annual_pay'],
          region: 'west',
          start: monthOf(2023, 1),
          end: monthOf(2023, 12),
        }),
      );
      const ids = (
        stub.requests.slice(before)[0].body as { seriesid: string[] }
      ).seriesid;
      expect(ids).toContain('ENU0600010572'); // California, sector 72, employment
      expect(ids.every((id) => id.endsWith('0572'))).toBe(true);
      expect(west.points.map((p) => p.source)).toEqual(['bls']);
      expect(west.metadata.qcew_industry).toEqual({
        code: '72',
        title: 'Accommodation and food services',
      });
      expect(west.metadata.region_note).toMatch(/sector 72/);
    });

    it.each([
      ['hospitality', '721'],
      ['technology', '5415'],
    ])(
      'should give a region of %s the national NAICS %s figures, and say why',
      async (industry, code) => {
        const ask = (region: 'west' | 'national') =>
          source('bls').getSeries(
            query({ industry, region, metrics: ['average_annual_pay'] }),
          );
        const [[west], [national]] = await Promise.all([
          ask('west'),
          ask('national'),
        ]);
        expect(west.points).toEqual(national.points);
        expect(west.points.length).toBeGreaterThan(0);
        expect(west.metadata.bls_series_ids).toEqual([
          `ENUUS000105${code}`,
          `ENUUS000305${code}`,
        ]);
        expect(west.metadata.region_note).toMatch(/national figures/);
        expect(national.metadata.region_note).toBe('U.S. total series.');
      },
    );

    it.each(['healthcare', 'education'])(
      'should say in the %s metadata that OEWS counts public employers and QCEW private ones',
      async (industry) => {
        const series = await source('bls').getSeries(query({ industry }));
        for (const s of series) {
          expect(s.metadata.scope_note).toMatch(
            /OEWS figures .* include state and local government employers/,
          );
          expect(s.metadata.ownership).toBe(
            s.metricName === 'annual_wage_per_employee'
              ? 'private employers and state and local government'
              : 'private employers only',
          );
        }
      },
    );

    it('should describe real estate as sector 53 in both programs', async () => {
      const series = await source('bls').getSeries(
        query({ industry: 'real_estate' }),
      );
      const wages = series.find(
        (s) => s.metricName === 'annual_wage_per_employee',
      )!;
      const pay = series.find((s) => s.metricName === 'average_annual_pay')!;
      expect(wages.metadata.oews_industry).toEqual({
        code: '53--54',
        title: 'Real estate and rental and leasing',
      });
      expect(pay.metadata.qcew_industry).toEqual({
        code: '53',
        title: 'Real estate and rental and leasing',
      });
      expect(pay.metadata.scope_note).toMatch(/sector 53/);
      // Only health care and education are documented to count public employers in OEWS (bls-api.md §2.3).
      expect(wages.metadata).not.toHaveProperty('ownership');
      expect(wages.points.map((p) => p.source)).toEqual(['bls']);
    });

    it('should leave out a state that withheld its data, and name it', async () => {
      const [west] = await source('bls').getSeries(
        query({
          industry: 'education',
          metrics: ['average_annual_pay'],
          region: 'west',
        }),
      );
      expect(west.points.length).toBeGreaterThan(0);
      expect(west.metadata.excluded_areas).toEqual(['56000']); // Wyoming
    });

    it('should serve labelled synthetic stand-ins with a warning when BLS fails, and not when it is back', async () => {
      stub.setFault('500');
      const blsSource = source('bls');
      const series = await blsSource.getSeries(query());
      for (const s of series) {
        expect(s.source).toBe('synthetic');
        expect(s.points.length).toBeGreaterThan(0);
        expect(s.points.every((p) => p.source === 'synthetic')).toBe(true);
        expect(s.warnings).toHaveLength(1);
        expect(s.warnings[0]).toMatch(
          /BLS is unavailable: HTTP 500; synthetic stand-ins are served instead/,
        );
      }
      stub.setFault('none');
      await new Promise((r) => setTimeout(r, 60)); // the client's cool-down after a failure
      const recovered = await blsSource.getSeries(
        query({ metrics: ['annual_wage_per_employee'] }),
      );
      expect(recovered[0].source).toBe('bls');
      expect(recovered[0].warnings).toEqual([]);
    });

    it('should fall back the same way when the daily quota is used up', async () => {
      stub.setFault('quota');
      const [wages] = await source('blended').getSeries(
        query({ metrics: ['annual_wage_per_employee'] }),
      );
      expect(wages.source).toBe('synthetic');
      expect(wages.warnings[0]).toMatch(/daily request limit is reached/);
    });
  });
});
