import { Logger } from '@nestjs/common';
import {
  startBlsStub,
  DEFAULT_STUB_KEY,
  type BlsStub,
} from '../../../tools/bls-stub/bls-stub-server';
import {
  STUB_OEWS_SERIES_COUNT,
  stubSeriesIds,
  stubValue,
} from '../../../tools/bls-stub/bls-stub-data';
import { MemoryCacheStore } from '../../cache/memory-cache-store';
import { ReadThroughCache } from '../../cache/read-through';
import {
  BlsClient,
  BlsQuotaExhaustedError,
  BlsUnavailableError,
  type BlsClientOptions,
} from './bls-client';
import { DailyQuota } from '../daily-quota';
import {
  BLS_INDUSTRIES,
  OEWS_PROBE_SERIES,
  oewsWageSeriesIds,
  qcewSeriesId,
} from './bls-series-ids';

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
    // Far above any answer's time on a busy machine: only the tests about timeouts (which set their own) time out, so a
    // slow answer is never retried into an extra request.
    timeoutMs: 30_000,
    maxRetries: 2,
    cacheTtlSeconds: 86400,
    retryBaseDelayMs: 5,
    ...overrides,
  };
  return {
    client: new BlsClient(
      options,
      new ReadThroughCache(cache),
      new DailyQuota('bls', cache, dailyLimit),
    ),
    cache,
  };
}

const dataRequests = () =>
  stub.requests.filter((r) => r.path.includes('/timeseries/data'));
/** Retail's U.S. average annual pay: one A01 point a year, published up to 2023 at NOW. */
const retailPay = qcewSeriesId('US000', '5', '44-45');

describe('BlsClient', () => {
  describe('fetchSeries', () => {
    it('should return the observations BLS publishes, parsed from strings', async () => {
      const { client: c } = client();
      const result = (await c.fetchSeries([retailPay], 2020, 2024)).get(
        retailPay,
      )!;
      expect(result.status).toBe('ok');
      const years = result.observations.map((o) => o.year).sort();
      expect(years).toEqual([2020, 2021, 2022, 2023]); // 2024 not published yet at NOW
      for (const o of result.observations) {
        expect(o.period).toBe('A01');
        expect(o.value).toBe(Number(stubValue(retailPay, o.year, 'A01', NOW)));
      }
    });

    it('should chunk beyond 50 series and 20 years and merge the answers by series', async () => {
      const { client: c } = client();
      const ids = stubSeriesIds().slice(
        STUB_OEWS_SERIES_COUNT,
        STUB_OEWS_SERIES_COUNT + 60,
      );
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
      const first = await c.fetchSeries([retailPay], 2019, 2023);
      const before = dataRequests().length;
      const second = await c.fetchSeries([retailPay], 2020, 2022);
      expect(dataRequests().length).toBe(before);
      expect(second.get(retailPay)!.observations).toEqual(
        first
          .get(retailPay)!
          .observations.filter((o) => o.year >= 2020 && o.year <= 2022),
      );
    });

    it('should read Results sent as an array, and series in any order', async () => {
      const ids = [retailPay, qcewSeriesId('US000', '5', '54')];
      const plain = await client().client.fetchSeries(ids, 2021, 2023);
      stub.setFault('array-results');
      const array = await client().client.fetchSeries(ids, 2021, 2023);
      stub.setFault('shuffle');
      const shuffled = await client().client.fetchSeries(ids, 2021, 2023);
      expect(array).toEqual(plain);
      expect(shuffled).toEqual(plain);
    });

    it('should report suppressed values as null, and unknown or invalid series by status', async () => {
      const wyoming = qcewSeriesId('56000', '1', '61');
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

  describe('fetchLatest', () => {
    const retailWages = oewsWageSeriesIds('retail');
    const allWages = Object.keys(BLS_INDUSTRIES).flatMap(oewsWageSeriesIds);
    let clock = NOW;
    let release: BlsStub;
    beforeAll(async () => {
      release = await startBlsStub({ now: () => clock });
    });
    afterAll(() => release.close());
    afterEach(() => {
      clock = NOW;
      release.setFault('none');
      jest.restoreAllMocks();
    });
    const releaseClient = (overrides: Partial<BlsClientOptions> = {}) =>
      client({ baseUrl: release.url, maxRetries: 0, ...overrides });
    const sent = () =>
      release.requests
        .filter((r) => r.path.includes('/timeseries/data'))
        .map((r) => r.body as Record<string, unknown>);
    /** Date.now() moved by `ms` from the real clock, for the client's refresh interval. */
    const later = (ms: number) => {
      const start = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(start + ms);
    };

    it('should ask without years and return the one year BLS holds, read from its answer', async () => {
      const { client: c } = releaseClient();
      const before = sent().length;
      const results = await c.fetchLatest(retailWages);
      const [body] = sent().slice(before);
      expect(body).not.toHaveProperty('startyear');
      expect(body).not.toHaveProperty('endyear');
      expect(body.seriesid).toEqual(retailWages);
      for (const id of retailWages) {
        const result = results.get(id)!;
        expect(result.status).toBe('ok');
        expect(result.observations).toEqual([
          expect.objectContaining({
            year: 2023, // the May 2023 estimates: the only OEWS year the API holds at NOW
            period: 'A01',
            value: Number(stubValue(id, 2023, 'A01', NOW)),
          }),
        ]);
      }
    });

    it('should ask for all 50 industry wage series in one request with a key, two without', async () => {
      const keyed = releaseClient();
      let before = sent().length;
      await keyed.client.fetchLatest(allWages);
      expect(sent().slice(before)).toHaveLength(1);
      const keyless = releaseClient({ apiKey: undefined });
      before = sent().length;
      await keyless.client.fetchLatest(allWages);
      expect(
        sent()
          .slice(before)
          .map((b) => (b.seriesid as string[]).length),
      ).toEqual([25, 25]);
    });

    it('should not ask again within cacheTtlSeconds, and take the new year of a release after it', async () => {
      const { client: c } = releaseClient({ cacheTtlSeconds: 60 });
      expect(
        (await c.fetchLatest(retailWages)).get(retailWages[2])!.observations[0]
          .year,
      ).toBe(2023);
      clock = new Date('2025-04-01T00:00:00Z'); // BLS publishes May 2024 and withdraws 2023
      const before = sent().length;
      await c.fetchLatest(retailWages);
      expect(sent()).toHaveLength(before);
      later(61_000);
      const renewed = await c.fetchLatest(retailWages);
      expect(sent()).toHaveLength(before + 1);
      for (const id of retailWages)
        expect(renewed.get(id)!.observations.map((o) => o.year)).toEqual([
          2024,
        ]);
    });

    it('should keep what BLS answered for staleIfErrorSeconds past its TTL, and serve it, said stale, while BLS fails', async () => {
      const { client: c, cache } = releaseClient({
        cacheTtlSeconds: 60,
        staleIfErrorSeconds: 3540,
      });
      const writes = jest.spyOn(cache, 'setMany');
      const first = await c.fetchLatest(retailWages);
      expect(writes).toHaveBeenCalledWith(expect.any(Array), 3600);
      later(61_000);
      release.setFault('500');
      const before = sent().length;
      const kept = await c.fetchLatest(retailWages);
      expect(sent().length).toBeGreaterThan(before); // it did try
      expect(kept).toEqual(first);
      expect(first.stale).toBeUndefined();
      expect(kept.stale?.reason).toMatch(/BLS is unavailable.*HTTP 500/);
      expect(Date.now() - kept.stale!.fetchedAt).toBeGreaterThanOrEqual(61_000);
      // Past TTL + staleIfErrorSeconds nothing is served, whatever the store still holds.
      later(3_600_000);
      await expect(c.fetchLatest(retailWages)).rejects.toBeInstanceOf(
        BlsUnavailableError,
      );
    });

    it('should keep its year when BLS answers with no year at all, and take a year BLS sends again', async () => {
      const { client: c } = releaseClient({ cacheTtlSeconds: 60 });
      const first = await c.fetchLatest(retailWages);
      clock = new Date('2012-06-01T00:00:00Z'); // a stub clock at which BLS holds no OEWS year
      later(61_000);
      const before = sent().length;
      const kept = await c.fetchLatest(retailWages);
      expect(sent()).toHaveLength(before + 1);
      expect(kept).toEqual(first);
      clock = new Date('2025-04-01T00:00:00Z');
      later(122_000);
      const renewed = await c.fetchLatest(retailWages);
      expect(renewed.get(retailWages[2])!.observations[0].year).toBe(2024);
    });

    it('should throw when BLS fails and nothing was kept', async () => {
      const { client: c } = releaseClient();
      release.setFault('500');
      await expect(c.fetchLatest(retailWages)).rejects.toBeInstanceOf(
        BlsUnavailableError,
      );
    });

    it('should report a series BLS does not have as not found', async () => {
      const padded = 'OEUN000000044000000000013';
      const results = await releaseClient().client.fetchLatest([padded]);
      expect(results.get(padded)).toEqual({
        status: 'not_found',
        observations: [],
      });
    });
  });

  describe('probe', () => {
    it('should succeed for the probe series, asked without years', async () => {
      const { client: c } = client();
      const before = dataRequests().length;
      await expect(c.probe(OEWS_PROBE_SERIES)).resolves.toBe(true);
      const [request] = dataRequests().slice(before);
      expect(request.body).toEqual({
        seriesid: [OEWS_PROBE_SERIES],
        registrationkey: DEFAULT_STUB_KEY,
      });
    });

    it('should fail when BLS answers without data for the series, or not as BLS', async () => {
      const { client: c } = client();
      await expect(c.probe('OEUN000000044000000000013')).resolves.toBe(false);
      stub.setFault('html');
      await expect(c.probe(OEWS_PROBE_SERIES)).resolves.toBe(false);
    });
  });

  describe('quota', () => {
    it('should stop calling BLS for the day once BLS refuses for the daily threshold', async () => {
      const { client: c } = client();
      stub.setFault('quota');
      await expect(
        c.fetchSeries([retailPay], 2021, 2023),
      ).rejects.toBeInstanceOf(BlsQuotaExhaustedError);
      stub.setFault('none');
      const before = stub.requests.length;
      await expect(
        c.fetchSeries([qcewSeriesId('US000', '5', '722')], 2021, 2023),
      ).rejects.toBeInstanceOf(BlsQuotaExhaustedError);
      expect(stub.requests.length).toBe(before);
    });

    it('should refuse at once for the rest of the day, without filling the local rate window (regression: found by the chaos run)', async () => {
      const { client: c } = client();
      stub.setFault('quota');
      await expect(
        c.fetchSeries([retailPay], 2021, 2023),
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
        c.fetchSeries([retailPay], 2021, 2023),
      ).rejects.toBeInstanceOf(BlsQuotaExhaustedError);
      expect(stub.requests.length - before).toBe(1);
    });

    it('should keep under its own daily limit, counting every request', async () => {
      const { client: c } = client({}, 2);
      await c.fetchSeries([qcewSeriesId('US000', '5', '54')], 2021, 2023);
      await c.fetchSeries([qcewSeriesId('US000', '5', '23')], 2021, 2023);
      const before = stub.requests.length;
      await expect(
        c.fetchSeries([qcewSeriesId('US000', '5', '61')], 2021, 2023),
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
        const failure = c.fetchSeries([retailPay], 2021, 2023);
        await expect(failure).rejects.toBeInstanceOf(BlsUnavailableError);
        await expect(failure).rejects.toThrow(message);
        expect(stub.requests.length - before).toBe(3);
      },
    );

    it('should recover on a retry when the failure was transient', async () => {
      const { client: c } = client({ maxRetries: 2 });
      stub.setFault('500');
      setTimeout(() => stub.setFault('none'), 3);
      const result = await c.fetchSeries([retailPay], 2021, 2023);
      expect(result.get(retailPay)!.observations).toHaveLength(3);
    });

    it('should give up on a slow answer after the timeout', async () => {
      const { client: c } = client({ timeoutMs: 150, maxRetries: 0 });
      stub.setFault('slow');
      // The message is the timeout's own: the client did not wait for the answer (1 s later).
      await expect(c.fetchSeries([retailPay], 2021, 2023)).rejects.toThrow(
        /no answer within 150 ms/,
      );
    });

    it('should bound a call, retries included, to twice the attempt timeout', async () => {
      const { client: c } = client({ timeoutMs: 150, maxRetries: 5 });
      stub.setFault('slow');
      // The message is the whole call's bound, not an attempt's: six attempts of 150 ms were not all made.
      await expect(c.fetchSeries([retailPay], 2021, 2023)).rejects.toThrow(
        /within 300 ms, retries included/,
      );
    });

    it('should leave BLS alone for the cool-down after a failure, then try again', async () => {
      const { client: c } = client({ maxRetries: 0, coolDownMs: 200 });
      stub.setFault('500');
      await expect(c.fetchSeries([retailPay], 2021, 2023)).rejects.toThrow(
        /HTTP 500/,
      );
      stub.setFault('none');
      const before = stub.requests.length;
      await expect(c.fetchSeries([retailPay], 2021, 2023)).rejects.toThrow(
        /cool-down/,
      );
      expect(stub.requests.length).toBe(before);
      await new Promise((r) => setTimeout(r, 250));
      const result = await c.fetchSeries([retailPay], 2021, 2023);
      expect(result.get(retailPay)!.status).toBe('ok');
    });

    it('should not retry a refused key', async () => {
      const { client: c } = client({
        apiKey: 'not-a-valid-key-0000000000000000',
      });
      const before = stub.requests.length;
      await expect(c.fetchSeries([retailPay], 2021, 2023)).rejects.toThrow(
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
            .fetchSeries([qcewSeriesId('US000', '5', '62')], 2021, 2023)
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
      await c.fetchSeries([retailPay], 2004, 2023);
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
