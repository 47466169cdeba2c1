import { Logger } from '@nestjs/common';
import {
  startBlsStub,
  DEFAULT_STUB_KEY,
  type BlsStub,
} from '../../bls-stub/bls-stub-server';
import { stubSeriesIds, stubValue } from '../../bls-stub/bls-stub-data';
import { MemoryCacheStore } from '../../cache/memory-cache-store';
import {
  BlsClient,
  BlsQuotaExhaustedError,
  BlsUnavailableError,
  type BlsClientOptions,
} from './bls-client';
import { BlsDailyQuota } from './bls-quota';
import { oewsNationalSeriesId, qcewSeriesId } from './bls-series-ids';

/** The stub's "now": OEWS 2023 is the newest published year, QCEW up to the second quarter of 2024. */
const NOW = new Date('2025-03-15T12:00:00Z');

let stub: BlsStub;

beforeAll(async () => {
  stub = await startBlsStub({ now: () => NOW, slowMs: 1000 });
});

afterAll(async () => {
  await stub.close();
});

beforeEach(() => {
  stub.setFault('none');
  stub.resetCounters();
});

function client(overrides: Partial<BlsClientOptions> = {}, dailyLimit = 500) {
  const cache = new MemoryCacheStore(100_000);
  const options: BlsClientOptions = {
    baseUrl: stub.url,
    apiKey: DEFAULT_STUB_KEY,
    timeoutMs: 2000,
    maxRetries: 2,
    cacheTtlSeconds: 86400,
    retryBaseDelayMs: 5,
    ...overrides,
  };
  return {
    client: new BlsClient(options, cache, new BlsDailyQuota(cache, dailyLimit)),
    cache,
  };
}

const dataRequests = () =>
  stub.requests.filter((r) => r.path.includes('/timeseries/data'));
const retailMedian = oewsNationalSeriesId('440000', '13');

describe('BlsClient', () => {
  describe('fetchSeries', () => {
    it('should return the observations BLS publishes, parsed from strings', async () => {
      const { client: c } = client();
      const result = (await c.fetchSeries([retailMedian], 2020, 2024)).get(
        retailMedian,
      )!;
      expect(result.status).toBe('ok');
      const years = result.observations.map((o) => o.year).sort();
      expect(years).toEqual([2020, 2021, 2022, 2023]); // 2024 not published yet at NOW
      for (const o of result.observations) {
        expect(o.period).toBe('A01');
        expect(o.value).toBe(
          Number(stubValue(retailMedian, o.year, 'A01', NOW)),
        );
      }
    });

    it('should chunk beyond 50 series and 20 years and merge the answers by series', async () => {
      const { client: c } = client();
      const ids = stubSeriesIds().slice(0, 60);
      const before = dataRequests().length;
      const results = await c.fetchSeries(ids, 2000, 2024);
      const sent = dataRequests().slice(before);
      expect(sent).toHaveLength(4); // 2 series chunks x 2 year windows
      for (const r of sent) {
        const body = r.body as {
          seriesid: string[];
          startyear: string;
          endyear: string;
        };
        expect(body.seriesid.length).toBeLessThanOrEqual(50);
        expect(
          Number(body.endyear) - Number(body.startyear) + 1,
        ).toBeLessThanOrEqual(20);
      }
      expect([...results.keys()].sort()).toEqual([...ids].sort());
      const oldest = results.get(ids[0])!.observations.map((o) => o.year);
      expect(Math.min(...oldest)).toBe(2012); // the stub's first year, from the older window
    });

    it('should keep to 25 series and 10 years a request without a key', async () => {
      const { client: c } = client({ apiKey: undefined });
      const ids = stubSeriesIds().slice(0, 30);
      const before = dataRequests().length;
      await c.fetchSeries(ids, 2012, 2024);
      const sent = dataRequests().slice(before);
      expect(sent).toHaveLength(4);
      for (const r of sent) {
        const body = r.body as {
          seriesid: string[];
          startyear: string;
          endyear: string;
          registrationkey?: string;
        };
        expect(body.seriesid.length).toBeLessThanOrEqual(25);
        expect(
          Number(body.endyear) - Number(body.startyear) + 1,
        ).toBeLessThanOrEqual(10);
        expect(body.registrationkey).toBeUndefined();
      }
    });

    it('should serve a repeated request from the cache without calling BLS', async () => {
      const { client: c } = client();
      const first = await c.fetchSeries([retailMedian], 2019, 2023);
      const before = dataRequests().length;
      const second = await c.fetchSeries([retailMedian], 2020, 2022);
      expect(dataRequests().length).toBe(before);
      expect(second.get(retailMedian)!.observations).toEqual(
        first
          .get(retailMedian)!
          .observations.filter((o) => o.year >= 2020 && o.year <= 2022),
      );
    });

    it('should read Results sent as an array, and series in any order', async () => {
      const ids = [retailMedian, oewsNationalSeriesId('440000', '11')];
      const plain = await client().client.fetchSeries(ids, 2021, 2023);
      stub.setFault('array-results');
      const array = await client().client.fetchSeries(ids, 2021, 2023);
      stub.setFault('shuffle');
      const shuffled = await client().client.fetchSeries(ids, 2021, 2023);
      expect(array).toEqual(plain);
      expect(shuffled).toEqual(plain);
    });

    it('should report suppressed values as null, and unknown or invalid series by status', async () => {
      const wyoming = qcewSeriesId('56000', '1', '5415');
      const unknown = qcewSeriesId('US000', '1', '999999');
      const invalid = 'enuus00010010';
      const results = await client().client.fetchSeries(
        [wyoming, unknown, invalid],
        2022,
        2023,
      );
      const suppressed = results.get(wyoming)!;
      expect(suppressed.observations.length).toBeGreaterThan(0);
      expect(suppressed.observations.every((o) => o.value === null)).toBe(true);
      expect(results.get(unknown)!.status).toBe('not_found');
      expect(results.get(invalid)!.status).toBe('invalid');
    });
  });

  describe('quota', () => {
    it('should stop calling BLS for the day once BLS refuses for the daily threshold', async () => {
      const { client: c } = client();
      stub.setFault('quota');
      await expect(
        c.fetchSeries([retailMedian], 2021, 2023),
      ).rejects.toBeInstanceOf(BlsQuotaExhaustedError);
      stub.setFault('none');
      const before = stub.requests.length;
      await expect(
        c.fetchSeries([oewsNationalSeriesId('722000', '13')], 2021, 2023),
      ).rejects.toBeInstanceOf(BlsQuotaExhaustedError);
      expect(stub.requests.length).toBe(before);
    });

    it('should refuse at once for the rest of the day, without filling the local rate window (regression: found by the chaos run)', async () => {
      const { client: c } = client();
      stub.setFault('quota');
      await expect(
        c.fetchSeries([retailMedian], 2021, 2023),
      ).rejects.toBeInstanceOf(BlsQuotaExhaustedError);
      stub.setFault('none');
      const before = stub.requests.length;
      // More requests than the local window holds (50 in 10 s): each must be the quota refusal, none a
      // "rate limited" failure, which would mean refused requests took slots (and waited for them).
      const ids = stubSeriesIds().slice(0, 60);
      for (const id of ids) {
        await expect(c.fetchSeries([id], 2021, 2023)).rejects.toBeInstanceOf(
          BlsQuotaExhaustedError,
        );
      }
      expect(stub.requests.length).toBe(before);
    });

    it('should not retry a quota refusal', async () => {
      const { client: c } = client();
      stub.setFault('quota');
      const before = stub.requests.length;
      await expect(
        c.fetchSeries([retailMedian], 2021, 2023),
      ).rejects.toBeInstanceOf(BlsQuotaExhaustedError);
      expect(stub.requests.length - before).toBe(1);
    });

    it('should keep under its own daily limit, counting every request', async () => {
      const { client: c } = client({}, 2);
      await c.fetchSeries([oewsNationalSeriesId('440000', '11')], 2021, 2023);
      await c.fetchSeries([oewsNationalSeriesId('440000', '12')], 2021, 2023);
      const before = stub.requests.length;
      await expect(
        c.fetchSeries([oewsNationalSeriesId('440000', '14')], 2021, 2023),
      ).rejects.toThrow(/daily request limit is reached \(2 requests a day/);
      expect(stub.requests.length).toBe(before);
    });
  });

  describe('failures', () => {
    it.each([
      ['HTTP 500', '500' as const, /HTTP 500/],
      ['HTTP 429', '429' as const, /HTTP 429/],
      ['an HTML page', 'html' as const, /not JSON/],
      ['Results: null', 'null-results' as const, /REQUEST_FAILED/],
    ])(
      'should retry %s a bounded number of times, then give up as unavailable',
      async (_case, fault, message) => {
        const { client: c } = client({ maxRetries: 2 });
        stub.setFault(fault);
        const before = stub.requests.length;
        const failure = c.fetchSeries([retailMedian], 2021, 2023);
        await expect(failure).rejects.toBeInstanceOf(BlsUnavailableError);
        await expect(failure).rejects.toThrow(message);
        expect(stub.requests.length - before).toBe(3);
      },
    );

    it('should recover on a retry when the failure was transient', async () => {
      const { client: c } = client({ maxRetries: 2 });
      stub.setFault('500');
      setTimeout(() => stub.setFault('none'), 3);
      const result = await c.fetchSeries([retailMedian], 2021, 2023);
      expect(result.get(retailMedian)!.observations).toHaveLength(3);
    });

    it('should give up on a slow answer after the timeout', async () => {
      const { client: c } = client({ timeoutMs: 150, maxRetries: 0 });
      stub.setFault('slow');
      const started = Date.now();
      await expect(c.fetchSeries([retailMedian], 2021, 2023)).rejects.toThrow(
        /no answer within 150 ms/,
      );
      expect(Date.now() - started).toBeLessThan(900);
    });

    it('should bound a call, retries included, to twice the attempt timeout', async () => {
      const { client: c } = client({ timeoutMs: 150, maxRetries: 5 });
      stub.setFault('slow');
      const started = Date.now();
      await expect(c.fetchSeries([retailMedian], 2021, 2023)).rejects.toThrow(
        /within 300 ms, retries included/,
      );
      expect(Date.now() - started).toBeLessThan(900);
    });

    it('should leave BLS alone for the cool-down after a failure, then try again', async () => {
      const { client: c } = client({ maxRetries: 0, coolDownMs: 200 });
      stub.setFault('500');
      await expect(c.fetchSeries([retailMedian], 2021, 2023)).rejects.toThrow(
        /HTTP 500/,
      );
      stub.setFault('none');
      const before = stub.requests.length;
      await expect(c.fetchSeries([retailMedian], 2021, 2023)).rejects.toThrow(
        /cool-down/,
      );
      expect(stub.requests.length).toBe(before);
      await new Promise((r) => setTimeout(r, 250));
      const result = await c.fetchSeries([retailMedian], 2021, 2023);
      expect(result.get(retailMedian)!.status).toBe('ok');
    });

    it('should not retry a refused key', async () => {
      const { client: c } = client({
        apiKey: 'not-a-valid-key-0000000000000000',
      });
      const before = stub.requests.length;
      await expect(c.fetchSeries([retailMedian], 2021, 2023)).rejects.toThrow(
        /key provided by the User is invalid/,
      );
      expect(stub.requests.length - before).toBe(1);
    });
  });

  describe('the key', () => {
    it('should never appear in an error message or a log line', async () => {
      const key = 'SECRETKEY0123456789SECRETKEY0123';
      const logs: string[] = [];
      const spies = (['log', 'warn', 'error', 'debug'] as const).map((level) =>
        jest
          .spyOn(Logger.prototype, level)
          .mockImplementation((...args: unknown[]) => {
            logs.push(args.map(String).join(' '));
          }),
      );
      try {
        const { client: c } = client({ apiKey: key, maxRetries: 1 });
        const messages: string[] = [];
        for (const fault of ['500', 'html', 'quota', 'none'] as const) {
          stub.setFault(fault);
          await c
            .fetchSeries([oewsNationalSeriesId('620000', '13')], 2021, 2023)
            .catch((e: Error) => {
              messages.push(e.message);
            });
        }
        expect(messages.length).toBeGreaterThan(0);
        for (const text of [...messages, ...logs])
          expect(text).not.toContain(key);
        expect(c.scrub(`echoed ${key} here`)).toBe('echoed <redacted> here');
      } finally {
        spies.forEach((s) => s.mockRestore());
      }
    });
  });
});

describe('BlsClient against a server with smaller limits than the key allows', () => {
  it('should log a "Year range has been reduced" answer as a bug signal, without the key', async () => {
    const warn = jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation(() => undefined);
    try {
      // The stub's v1 route ignores keys and allows 10 years, while a keyed client asks for up to 20.
      const { client: c } = client({ baseUrl: stub.url.replace('/v2', '/v1') });
      await c.fetchSeries([retailMedian], 2004, 2023);
      const lines = warn.mock.calls.map((args) => args.map(String).join(' '));
      expect(
        lines.some((l) =>
          /reduced the year range of a 2004-2023 request/.test(l),
        ),
      ).toBe(true);
      expect(lines.join('\n')).not.toContain(DEFAULT_STUB_KEY);
    } finally {
      warn.mockRestore();
    }
  });
});
