import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BlsMalformedResponseError,
  BlsRefusedError,
  parseBlsResponse,
  type BlsSeriesStatus,
} from './bls-response';

/** Real answers of the BLS API, kept by public projects (see their README): the parser must read every one. */
const FIXTURES = join(__dirname, '../../../test/fixtures/bls');

/** What each real body must parse to: per series its status, observation count, first and null observations. */
interface Expected {
  readonly status: string;
  readonly series?: Record<
    string,
    {
      status: BlsSeriesStatus;
      count: number;
      first?: [number, string, number | null];
      nulls?: number;
    }
  >;
  /** The body refuses the request: parsing throws this. */
  readonly refused?: RegExp;
}

// prettier-ignore
const EXPECTED: Record<string, Expected> = {
  'faq-invalid-series-results-array.json': {
    status: 'REQUEST_SUCCEEDED',
    series: { 'laucn21219003!': { status: 'invalid', count: 0 } },
  },
  'laus-LAUCN040010000000005-2021-2023-grafana-readme.json': {
    status: 'REQUEST_SUCCEEDED',
    series: { LAUCN040010000000005: { status: 'ok', count: 25, first: [2023, 'M01', 17585] } },
  },
  // 36 points of which two M13 annual averages, dropped
  'laus-LAUST080000000000006-2017-2019-with-M13.json': {
    status: 'REQUEST_SUCCEEDED',
    series: { LAUST080000000000006: { status: 'ok', count: 34, first: [2019, 'M10', 3178070] } },
  },
  'oews-OEUN000000000000029102313-2018-topcoded.json': {
    status: 'REQUEST_SUCCEEDED',
    series: { OEUN000000000000029102313: { status: 'ok', count: 1, first: [2018, 'A01', null], nulls: 1 } },
  },
  'oews-OEUN000000054192027402104-2015-jhutter.json': {
    status: 'REQUEST_SUCCEEDED',
    series: { OEUN000000054192027402104: { status: 'ok', count: 1, first: [2015, 'A01', 35860] } },
  },
  'oews-series-does-not-exist-live-curl-2025.json': {
    status: 'REQUEST_SUCCEEDED',
    series: { OEUN0000000000000000000004: { status: 'not_found', count: 0 } },
  },
  'worldscope-invalid-key-2026-08-24.json': {
    status: 'REQUEST_NOT_PROCESSED',
    refused: /provided by the User is invalid/,
  },
  'worldscope-invalid-series-2026-08-24.json': {
    status: 'REQUEST_SUCCEEDED',
    series: { NOTASERIES1: { status: 'invalid', count: 0 } },
  },
  // 2025 October: "-" with footnote X (the 2025 lapse in appropriations) in CPI and unemployment
  'worldscope-v1-5series-2025-2026-captured-2026-08-24.json': {
    status: 'REQUEST_SUCCEEDED',
    series: {
      CUUR0000SA0: { status: 'ok', count: 13, first: [2026, 'M07', 333.918], nulls: 1 },
      LNS14000000: { status: 'ok', count: 13, first: [2026, 'M07', 4.1], nulls: 1 },
      CES0000000001: { status: 'ok', count: 13, first: [2026, 'M07', 158858], nulls: 0 },
      CES0500000003: { status: 'ok', count: 13, first: [2026, 'M07', 37.62], nulls: 0 },
      WPUFD4: { status: 'ok', count: 13, first: [2026, 'M07', 156.927], nulls: 0 },
    },
  },
};

const OEWS_ID = 'OEUN000000000000029102313';
const LAUS_ID = 'LAUST080000000000006';

/** Real OEWS capture, bls-api.md §1.5, with its literal newlines after `"Results":{` and `"series":`. */
const OEWS_CAPTURE =
  '{"status":"REQUEST_SUCCEEDED","responseTime":195,"message":["No Data Available for Series OEUN000000000000029102313 Year: 2016","No Data Available for Series OEUN000000000000029102313 Year: 2017"],"Results":{\n' +
  '"series":\n' +
  '[{"seriesID":"OEUN000000000000029102313","data":[{"year":"2018","period":"A01","periodName":"Annual","latest":"true","value":"-","footnotes":[{"code":"5","text":"This wage is equal to or greater than $100.00 per hour or $208,000 per year."}]}]}]\n' +
  '}}';

/** Real LAUS capture, bls-api.md §1.5: the quoted prefix (two points), closed after the second point. */
const LAUS_CAPTURE =
  '{"status":"REQUEST_SUCCEEDED","responseTime":137,"message":[],"Results":{\n"series":\n[{"seriesID":"LAUST080000000000006","data":[{"year":"2019","period":"M10","periodName":"October","latest":"true","value":"3178070","footnotes":[{"code":"P","text":"Preliminary."}]},{"year":"2019","period":"M09","periodName":"September","value":"3177825","footnotes":[{}]}]}]}}';

/** Real daily-quota refusal, bls-api.md §1.5 (the double space is where the key would be). */
const QUOTA_REFUSAL =
  '{"status":"REQUEST_NOT_PROCESSED","responseTime":0,"message":["Request could not be serviced, as the daily threshold for total number of requests allocated to the user with registration key  has been reached."],"Results":{}}';

interface RawPoint {
  year: string;
  period: string;
  value: string;
  footnotes?: unknown[];
}
interface RawSeries {
  seriesID: string;
  data: RawPoint[];
}

const point = (year: string, period: string, value: string): RawPoint => ({
  year,
  period,
  value,
  footnotes: [{}],
});

/** A REQUEST_SUCCEEDED envelope in the live (object) shape. */
function envelope(series: RawSeries[], message: string[] = []): string {
  return JSON.stringify({
    status: 'REQUEST_SUCCEEDED',
    responseTime: 50,
    message,
    Results: { series },
  });
}

describe('parseBlsResponse', () => {
  describe('every real body in test/fixtures/bls', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

    it('should have an expectation for each file, and each expectation a file', () => {
      expect([...files].sort()).toEqual(Object.keys(EXPECTED).sort());
    });

    it.each(files)('should parse %s as the real API meant it', (file) => {
      const body = readFileSync(join(FIXTURES, file), 'utf8');
      const expected = EXPECTED[file];
      const ids = Object.keys(expected.series ?? {});
      if (expected.refused) {
        expect(() => parseBlsResponse(body, ids)).toThrow(BlsRefusedError);
        expect(() => parseBlsResponse(body, ids)).toThrow(expected.refused);
        return;
      }
      const parsed = parseBlsResponse(body, ids);
      expect(parsed.status).toBe(expected.status);
      expect(parsed.quotaExhausted).toBe(false);
      expect([...parsed.series.keys()].sort()).toEqual([...ids].sort());
      for (const [id, want] of Object.entries(expected.series!)) {
        const got = parsed.series.get(id)!;
        expect({
          id,
          status: got.status,
          count: got.observations.length,
        }).toEqual({ id, status: want.status, count: want.count });
        if (want.first) {
          const o = got.observations[0];
          expect([o.year, o.period, o.value]).toEqual(want.first);
        }
        if (want.nulls !== undefined)
          expect(got.observations.filter((o) => o.value === null)).toHaveLength(
            want.nulls,
          );
        for (const o of got.observations) expect(o.period).not.toBe('M13');
      }
    });
  });

  describe('real captures', () => {
    it('should parse the OEWS capture: "-" is null, its footnote code kept, the warnings kept', () => {
      const response = parseBlsResponse(OEWS_CAPTURE, [OEWS_ID]);
      expect(response.status).toBe('REQUEST_SUCCEEDED');
      expect(response.messages).toEqual([
        `No Data Available for Series ${OEWS_ID} Year: 2016`,
        `No Data Available for Series ${OEWS_ID} Year: 2017`,
      ]);
      expect(response.quotaExhausted).toBe(false);
      expect(response.yearRangeReduced).toBe(false);
      expect([...response.series.keys()]).toEqual([OEWS_ID]);
      expect(response.series.get(OEWS_ID)).toEqual({
        status: 'ok',
        observations: [
          { year: 2018, period: 'A01', value: null, footnoteCodes: ['5'] },
        ],
      });
    });

    it('should parse the LAUS capture: string values as numbers, [{}] as no footnote, "latest" ignored', () => {
      const response = parseBlsResponse(LAUS_CAPTURE, [LAUS_ID]);
      expect(response.messages).toEqual([]);
      expect(response.series.get(LAUS_ID)).toEqual({
        status: 'ok',
        observations: [
          { year: 2019, period: 'M10', value: 3178070, footnoteCodes: ['P'] },
          { year: 2019, period: 'M09', value: 3177825, footnoteCodes: [] },
        ],
      });
    });

    it('should report the real daily-threshold refusal as quota exhausted without throwing', () => {
      const response = parseBlsResponse(QUOTA_REFUSAL, [OEWS_ID]);
      expect(response.quotaExhausted).toBe(true);
      expect(response.status).toBe('REQUEST_NOT_PROCESSED');
      expect(response.series.size).toBe(0);
      expect(response.messages).toHaveLength(1);
      expect(response.messages[0]).toContain('registration key  has been');
    });
  });

  describe('Results shapes', () => {
    it('should read Results as an array [{series}] (the documented samples) like the object form', () => {
      const series: RawSeries[] = [
        {
          seriesID: 'ENUUS00050544-45',
          data: [point('2023', 'A01', '40123'), point('2022', 'A01', '38000')],
        },
      ];
      const asObject = parseBlsResponse(envelope(series), ['ENUUS00050544-45']);
      const asArray = parseBlsResponse(
        JSON.stringify({
          status: 'REQUEST_SUCCEEDED',
          responseTime: 50,
          message: [],
          Results: [{ series }],
        }),
        ['ENUUS00050544-45'],
      );
      expect(
        asObject.series.get('ENUUS00050544-45')?.observations,
      ).toHaveLength(2);
      expect(asArray.series).toEqual(asObject.series);
      expect(asArray.status).toBe(asObject.status);
    });

    it('should key the series by seriesID, whatever order BLS sends them in', () => {
      const national = 'ENUUS00050544-45';
      const michigan = 'ENU2600050544-45';
      const response = parseBlsResponse(
        envelope([
          { seriesID: michigan, data: [point('2023', 'A01', '35000')] },
          { seriesID: national, data: [point('2023', 'A01', '40000')] },
        ]),
        [national, michigan],
      );
      expect(response.series.get(national)?.observations[0].value).toBe(40000);
      expect(response.series.get(michigan)?.observations[0].value).toBe(35000);
    });
  });

  describe('observations', () => {
    it('should drop M13 annual averages and keep months, quarters and A01, newest first as sent', () => {
      const id = 'ENUUS000105493';
      const response = parseBlsResponse(
        envelope([
          {
            seriesID: id,
            data: [
              point('2024', 'M13', '999'),
              point('2024', 'M12', '12'),
              point('2024', 'M01', '1'),
              point('2024', 'Q04', '4'),
              point('2024', 'Q01', '1'),
              point('2024', 'A01', '2024'),
            ],
          },
        ]),
        [id],
      );
      const observations = response.series.get(id)!.observations;
      expect(observations.map((o) => o.period)).toEqual([
        'M12',
        'M01',
        'Q04',
        'Q01',
        'A01',
      ]);
      expect(observations.map((o) => o.value)).not.toContain(999);
    });

    // QCEW sends a Q05 row (the annual total or average) with annualaverage=true. The client never asks for it and
    // computes annual figures from the quarters: a Q05 row that comes anyway is dropped, never read as a quarter.
    it('should drop QCEW Q05 annual rows on purpose and keep Q01-Q04', () => {
      const id = 'ENUUS00030544-45';
      const body = envelope([
        {
          seriesID: id,
          data: [
            point('2024', 'Q05', '900000000'),
            point('2024', 'Q04', '240000000'),
            point('2024', 'Q03', '225000000'),
          ],
        },
      ]);
      const parsed = parseBlsResponse(body, [id]);
      expect(parsed.series.get(id)!.observations.map((o) => o.period)).toEqual([
        'Q04',
        'Q03',
      ]);
    });

    it('should read values written with thousands separators', () => {
      const id = 'ENUUS000105493';
      const response = parseBlsResponse(
        envelope([{ seriesID: id, data: [point('2026', 'M03', '1,859,296')] }]),
        [id],
      );
      expect(response.series.get(id)!.observations[0].value).toBe(1859296);
    });

    it('should make an empty value null rather than 0', () => {
      const id = 'ENUUS000105493';
      const response = parseBlsResponse(
        envelope([{ seriesID: id, data: [point('2026', 'M03', '')] }]),
        [id],
      );
      expect(response.series.get(id)!.observations[0].value).toBeNull();
    });
  });

  describe('per-series status', () => {
    it('should mark a series "Invalid Series for Series X" as invalid', () => {
      const id = 'enuus00050544-45';
      const response = parseBlsResponse(
        envelope(
          [{ seriesID: id, data: [] }],
          [`Invalid Series for Series  ${id}`],
        ),
        [id],
      );
      expect(response.series.get(id)).toEqual({
        status: 'invalid',
        observations: [],
      });
    });

    it('should mark a series "Series does not exist for Series X" as not found', () => {
      const id = 'SMU48000004200000003'; // real: Texas retail AHE does not exist
      const response = parseBlsResponse(
        envelope(
          [{ seriesID: id, data: [] }],
          [`Series does not exist for Series ${id}`],
        ),
        [id],
      );
      expect(response.series.get(id)).toEqual({
        status: 'not_found',
        observations: [],
      });
    });

    it('should mark a series without data or message as no data', () => {
      const id = 'ENUUS00050554';
      const response = parseBlsResponse(
        envelope([{ seriesID: id, data: [] }]),
        [id],
      );
      expect(response.series.get(id)).toEqual({
        status: 'no_data',
        observations: [],
      });
    });

    it('should keep a "No Data Available ... Year" warning as no data, not an error', () => {
      const id = 'ENUUS00050554';
      const response = parseBlsResponse(
        envelope(
          [{ seriesID: id, data: [] }],
          [`No Data Available for Series ${id} Year: 2024`],
        ),
        [id],
      );
      expect(response.series.get(id)?.status).toBe('no_data');
    });

    it('should give requested series that BLS left out an entry, from the messages when they say why', () => {
      const present = 'ENUUS00050544-45';
      const silent = 'ENUUS00050554';
      const unknown = 'ENUUS0005059999';
      const response = parseBlsResponse(
        envelope(
          [{ seriesID: present, data: [point('2023', 'A01', '40000')] }],
          [`Series does not exist for Series ${unknown}`],
        ),
        [present, silent, unknown],
      );
      expect(response.series.size).toBe(3);
      expect(response.series.get(present)?.status).toBe('ok');
      expect(response.series.get(silent)).toEqual({
        status: 'no_data',
        observations: [],
      });
      expect(response.series.get(unknown)).toEqual({
        status: 'not_found',
        observations: [],
      });
    });

    // A message about ENUUS0005055415 (technology, NAICS 5415) must not apply to ENUUS00050554 (professional
    // services, NAICS 54), its prefix.
    it('should not apply a message about a longer ID to a series whose ID is its prefix', () => {
      const professional = 'ENUUS00050554';
      const technology = 'ENUUS0005055415';
      const response = parseBlsResponse(
        envelope(
          [
            {
              seriesID: professional,
              data: [point('2023', 'A01', '90000')],
            },
            { seriesID: technology, data: [] },
          ],
          [`Series does not exist for Series ${technology}`],
        ),
        [professional, technology],
      );
      expect(response.series.get(technology)?.status).toBe('not_found');
      expect(response.series.get(professional)?.status).toBe('ok');
    });
  });

  describe('warnings and refusals', () => {
    it('should also recognise the threshold message without the "with registration key" clause', () => {
      const body = JSON.stringify({
        status: 'REQUEST_NOT_PROCESSED',
        responseTime: 0,
        message: [
          'Request could not be serviced, as the daily threshold for total number of requests allocated to the user has been reached.',
        ],
        Results: {},
      });
      expect(parseBlsResponse(body, []).quotaExhausted).toBe(true);
    });

    it('should flag "Year range has been reduced" and still return the data', () => {
      const id = 'ENUUS00050544-45';
      const response = parseBlsResponse(
        envelope(
          [{ seriesID: id, data: [point('2023', 'A01', '40000')] }],
          [
            'Year range has been reduced to the system-allowed limit of 20 years.',
          ],
        ),
        [id],
      );
      expect(response.yearRangeReduced).toBe(true);
      expect(response.quotaExhausted).toBe(false);
      expect(response.series.get(id)?.observations).toHaveLength(1);
    });

    const invalidKey = JSON.stringify({
      status: 'REQUEST_NOT_PROCESSED',
      responseTime: 0,
      message: ['The key provided by the User is invalid.'],
      Results: {},
    });

    it('should throw BlsRefusedError for REQUEST_NOT_PROCESSED with another message (e.g. an invalid key)', () => {
      expect(() => parseBlsResponse(invalidKey, [OEWS_ID])).toThrow(
        BlsRefusedError,
      );
    });
  });

  describe('malformed answers', () => {
    it.each([
      [
        'an HTML maintenance page',
        '<!DOCTYPE html><html><head><title>Site Maintenance</title></head><body>Down for maintenance</body></html>',
      ],
      ['an empty body', ''],
      [
        'REQUEST_FAILED with Results null',
        '{"status":"REQUEST_FAILED","Results":null}',
      ],
      ['no status', '{"message":[],"Results":{"series":[]}}'],
      [
        'Results without series',
        '{"status":"REQUEST_SUCCEEDED","message":[],"Results":{}}',
      ],
      [
        'REQUEST_SUCCEEDED with Results null',
        '{"status":"REQUEST_SUCCEEDED","message":[],"Results":null}',
      ],
      [
        'REQUEST_SUCCEEDED without Results',
        '{"status":"REQUEST_SUCCEEDED","message":[]}',
      ],
      ['a JSON array', '[]'],
      ['JSON null', 'null'],
    ])('should throw BlsMalformedResponseError for %s', (_label, body) => {
      expect(() => parseBlsResponse(body, [OEWS_ID])).toThrow(
        BlsMalformedResponseError,
      );
    });
  });
});
