import { Logger } from '@nestjs/common';
import {
  DEFAULT_CENSUS_STUB_KEY,
  startCensusStub,
  type CensusStub,
} from '../../../tools/census-stub/census-stub-server';
import { stubRows } from '../../../tools/census-stub/census-stub-data';
import { MemoryCacheStore } from '../../cache/memory-cache-store';
import { ReadThroughCache } from '../../cache/read-through';
import { DailyQuota } from '../daily-quota';
import {
  CensusClient,
  CensusKeyError,
  CensusQuotaExhaustedError,
  CensusUnavailableError,
  censusAnswerKey,
  type CensusClientOptions,
} from './census-client';
import { DATASETS, type DatasetRequest } from './census-datasets';

let stub: CensusStub;

beforeAll(async () => {
  stub = await startCensusStub({ slowMs: 1000, emptyNaics: ['5415'] });
});

afterAll(async () => {
  await stub.close();
});

beforeEach(() => {
  stub.setFault('none');
  jest.restoreAllMocks();
});

function client(
  overrides: Partial<CensusClientOptions> = {},
  dailyLimit = 500,
) {
  const store = new MemoryCacheStore(100_000);
  const options: CensusClientOptions = {
    baseUrl: stub.url,
    apiKey: DEFAULT_CENSUS_STUB_KEY,
    // Far above any answer's time on a busy machine (see bls-client.spec.ts); timeout tests set their own.
    timeoutMs: 30_000,
    maxRetries: 2,
    cacheTtlSeconds: 86_400,
    staleIfErrorSeconds: 400 * 86_400,
    retryBaseDelayMs: 5,
    coolDownMs: 0,
    ...overrides,
  };
  return {
    client: new CensusClient(
      options,
      new ReadThroughCache(store),
      new DailyQuota('census', store, dailyLimit),
    ),
    store,
  };
}

const sent = () => stub.requests.length;
const since = (before: number) => stub.requests.slice(before);
const abs2022: DatasetRequest = {
  dataset: 'abscs',
  year: 2022,
  naics: '44-45',
  geo: 'state',
};

describe('CensusClient', () => {
  it('should read an ABS answer: the stub rows, numbers from strings, every state but Puerto Rico', async () => {
    const before = sent();
    const answers = await client().client.fetchAnswers([abs2022]);
    const answer = answers.get(censusAnswerKey(abs2022))!;
    expect(answer.status).toBe('ok');
    expect(answer.naicsVariable).toBe('NAICS2022');
    expect(answers.stale).toBeUndefined();
    const rows = stubRows('abscs', 2022, '44-45', 'state')!;
    const expected = rows.filter((r) => r.geo !== '72');
    expect(answer.records).toHaveLength(expected.length);
    for (const row of expected.slice(0, 40)) {
      const record = answer.records.find(
        (r) => r.geo === row.geo && r.size.code === row.sizeCode,
      )!;
      const value = (f: { value: string; flag: string | null }) =>
        f.flag ? null : Number(f.value);
      expect(record.units.value).toBe(value(row.units));
      expect(record.employees.value).toBe(value(row.employees));
      expect(record.payroll.value).toBe(value(row.payroll));
      expect(record.receipts!.value).toBe(value(row.receipts!));
    }
    const [request] = since(before);
    expect(request.path).toMatch(
      /^\/data\/2022\/abscs\?get=FIRMPDEMP,.*&for=state:\*&NAICS2022=44-45&SEX=001&ETH_GROUP=001&RACE_GROUP=00&VET_GROUP=001&RCPSZFI=001&YIBSZFI=001&URSZFI=001&key=/,
    );
  });

  it('should use NAICS2017 for ABS 2021 and for CBP', async () => {
    const before = sent();
    await client().client.fetchAnswers([
      { ...abs2022, year: 2021 },
      { dataset: 'cbp', year: 2022, naics: '23', geo: 'us' },
    ]);
    const paths = since(before).map((r) => r.path);
    expect(
      paths.some(
        (p) => p.includes('/2021/abscs?') && p.includes('NAICS2017=44-45'),
      ),
    ).toBe(true);
    expect(
      paths.some(
        (p) => p.includes('/2022/cbp?') && p.includes('NAICS2017=23&LFO=001'),
      ),
    ).toBe(true);
    expect(since(before).every((r) => r.status === 200)).toBe(true);
  });

  it('should drop a flag variable a vintage does not know (CBP 2017 has no noise flags), once per vintage', async () => {
    const { client: c } = client();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    const before = sent();
    const answers = await c.fetchAnswers([
      { dataset: 'cbp', year: 2017, naics: '23', geo: 'state' },
      { dataset: 'cbp', year: 2017, naics: '23', geo: 'us' },
    ]);
    for (const a of answers.values()) expect(a.status).toBe('ok');
    const requests = since(before);
    expect(
      requests.filter((r) => r.status === 400).map((r) => r.error),
    ).toEqual(expect.arrayContaining(["error: unknown variable 'EMP_N_F'"]));
    // Once learned, the vintage is asked without the flags.
    const later = sent();
    await c.fetchAnswers([
      { dataset: 'cbp', year: 2017, naics: '31-33', geo: 'us' },
    ]);
    expect(since(later).map((r) => r.status)).toEqual([200]);
    expect(since(later)[0].path).not.toContain('EMP_N_F');
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('Census 2017/cbp does not know EMP_N_F'),
    );
  });

  it('should read 404 as not published and 204 as no rows, cache both, and ask "not published" again after a day', async () => {
    const { client: c } = client({ notPublishedTtlSeconds: 60 });
    const future = { ...abs2022, year: 2024 };
    const empty = { ...abs2022, naics: '5415' };
    const answers = await c.fetchAnswers([future, empty]);
    expect(answers.get(censusAnswerKey(future))!.status).toBe('not_published');
    expect(answers.get(censusAnswerKey(empty))!.status).toBe('empty');
    const before = sent();
    await c.fetchAnswers([future, empty]);
    expect(sent()).toBe(before);
    const start = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(start + 61_000);
    await c.fetchAnswers([future, empty]);
    expect(since(before).map((r) => r.path.split('?')[0])).toEqual([
      '/data/2024/abscs',
    ]);
  });

  it('should not ask again for what the cache holds', async () => {
    const { client: c } = client();
    await c.fetchAnswers([abs2022]);
    const before = sent();
    await c.fetchAnswers([abs2022]);
    expect(sent()).toBe(before);
  });

  it('should retry 429 and 500, then give up as unavailable', async () => {
    for (const fault of ['429', '500'] as const) {
      stub.setFault(fault);
      const before = sent();
      await expect(client().client.fetchAnswers([abs2022])).rejects.toThrow(
        CensusUnavailableError,
      );
      expect(sent() - before).toBe(3);
    }
  });

  it('should never read an HTML page as data', async () => {
    stub.setFault('html');
    await expect(client().client.fetchAnswers([abs2022])).rejects.toThrow(
      /an HTML page, not JSON/,
    );
  });

  it('should give up within its budget when Census is slow', async () => {
    stub.setFault('slow');
    // The call's own bound (twice the attempt's timeout) ended it, not the answer (1 s later).
    await expect(
      client({ timeoutMs: 200 }).client.fetchAnswers([abs2022]),
    ).rejects.toThrow(/no usable answer within 400 ms/);
  });

  it('should not follow the missing- or invalid-key redirect, not retry it, and say so in one log line without the key', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation();
    const wrong = 'ffffffffffffffffffffffffffffffffffffffff';
    const { client: c } = client({ apiKey: wrong, coolDownMs: 60_000 });
    const before = sent();
    const failure = await c.fetchAnswers([abs2022]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CensusKeyError);
    expect((failure as Error).message).toMatch(/refused the API key/);
    expect(since(before).map((r) => r.status)).toEqual([302]);
    // No request to the HTML page: the redirect was not followed.
    expect(stub.requests.some((r) => r.path.includes('_key.html'))).toBe(false);
    await expect(c.fetchAnswers([{ ...abs2022, year: 2021 }])).rejects.toThrow(
      CensusUnavailableError,
    );
    expect(error).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(error.mock.calls);
    expect(logged).not.toContain(wrong);
    expect(logged).toContain('CENSUS_API_KEY');
  });

  it('should say when the key is missing (the redirect to missing_key.html)', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation();
    const { client: c } = client({ apiKey: '' });
    await expect(c.fetchAnswers([abs2022])).rejects.toThrow(
      /asks for an API key/,
    );
  });

  it('should treat a revoked key (the key fault) as a key error whatever the key', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation();
    stub.setFault('key');
    await expect(
      client().client.fetchAnswers([abs2022]),
    ).rejects.toBeInstanceOf(CensusKeyError);
  });

  it('should report a request the API does not understand (HTTP 400) without retrying it, and try the next NAICS variable', async () => {
    const { client: c } = client();
    // A vintage asked with a NAICS variable it does not know, and nothing else to try: a bug, said as such.
    jest.spyOn(DATASETS.abscs, 'naicsVariables').mockReturnValue(['NAICS2012']);
    let before = sent();
    await expect(c.fetchAnswers([{ ...abs2022, year: 2018 }])).rejects.toThrow(
      /did not understand the request \(HTTP 400: error: unknown predicate variable: 'NAICS2012'\)/,
    );
    expect(since(before).map((r) => r.status)).toEqual([400]);
    // With another variable to try, the 400 leads to it.
    jest
      .spyOn(DATASETS.abscs, 'naicsVariables')
      .mockReturnValue(['NAICS2012', 'NAICS2017']);
    before = sent();
    const answers = await c.fetchAnswers([{ ...abs2022, year: 2019 }]);
    expect(since(before).map((r) => r.status)).toEqual([400, 200]);
    expect(
      answers.get(censusAnswerKey({ ...abs2022, year: 2019 }))!.naicsVariable,
    ).toBe('NAICS2017');
  });

  it('should serve the kept answer, said stale, when Census fails after the TTL; and fail without one', async () => {
    const { client: c } = client({ cacheTtlSeconds: 60 });
    const fresh = await c.fetchAnswers([abs2022]);
    const start = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(start + 120_000);
    stub.setFault('500');
    const kept = await c.fetchAnswers([abs2022]);
    expect(kept.get(censusAnswerKey(abs2022))).toEqual(
      fresh.get(censusAnswerKey(abs2022)),
    );
    expect(kept.stale?.reason).toMatch(/the Census API is unavailable/);
    expect(start + 120_000 - kept.stale!.fetchedAt).toBeGreaterThanOrEqual(
      120_000,
    );
    // A year with no kept copy fails alone: the kept one is still served, the other is said failed.
    const abs2020 = { ...abs2022, year: 2020 };
    const mixed = await c.fetchAnswers([abs2022, abs2020]);
    expect(mixed.get(censusAnswerKey(abs2022))).toEqual(
      fresh.get(censusAnswerKey(abs2022)),
    );
    expect(mixed.has(censusAnswerKey(abs2020))).toBe(false);
    expect(mixed.failed?.get(censusAnswerKey(abs2020))).toMatch(
      /the Census API is unavailable/,
    );
    // Nothing usable at all: the failure is thrown.
    await expect(c.fetchAnswers([abs2020])).rejects.toThrow(
      CensusUnavailableError,
    );
  });

  it('should store the answers that came when others of the same call failed', async () => {
    const { client: c } = client();
    const good = { ...abs2022, naics: '23' };
    // One request of the call fails (made to, below); the other answers.
    const bad = {
      dataset: 'cbp' as const,
      year: 2022,
      naics: '23',
      geo: 'us' as const,
    };
    jest
      .spyOn(
        c as unknown as { request: (r: unknown) => Promise<unknown> },
        'request',
      )
      .mockImplementation(function (this: unknown, r: unknown) {
        if (r === bad)
          return Promise.reject(new CensusUnavailableError('HTTP 500'));
        return (
          CensusClient.prototype as unknown as {
            request: (r: unknown) => Promise<unknown>;
          }
        ).request.call(c, r);
      });
    const first = await c.fetchAnswers([good, bad]);
    expect(first.has(censusAnswerKey(good))).toBe(true);
    expect(first.failed?.has(censusAnswerKey(bad))).toBe(true);
    const before = stub.requests.length;
    const again = await c.fetchAnswers([good]);
    expect(again.has(censusAnswerKey(good))).toBe(true);
    expect(stub.requests.length).toBe(before);
  });

  it('should bound a whole call, queue included, and keep what arrives after it for the next call', async () => {
    const { client: c } = client({ timeoutMs: 1200, concurrency: 1 });
    stub.setFault('slow'); // each answer after 1 s: three in a row take 3 s, past the 2.4 s budget
    const years = [2020, 2021, 2022].map((year) => ({ ...abs2022, year }));
    await expect(c.fetchAnswers(years)).rejects.toThrow(
      /no usable answer within 2400 ms/,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const before = sent();
    const later = await c.fetchAnswers(years);
    expect(later.size).toBe(3);
    expect(sent()).toBe(before);
  });

  it('should stop at its daily budget, shared through the store', async () => {
    const { client: c } = client({}, 1);
    await c.fetchAnswers([abs2022]);
    await expect(
      c.fetchAnswers([{ ...abs2022, year: 2021 }]),
    ).rejects.toBeInstanceOf(CensusQuotaExhaustedError);
    expect(await c.quotaRemaining()).toBe(0);
  });

  it('should keep the key out of its scrubbed texts', () => {
    const { client: c } = client();
    expect(
      c.scrub(
        `GET ${stub.url}/2022/abscs?get=EMP&key=${DEFAULT_CENSUS_STUB_KEY}&x=1 and ${DEFAULT_CENSUS_STUB_KEY}`,
      ),
    ).not.toContain(DEFAULT_CENSUS_STUB_KEY);
    expect(c.scrub('...&key=another-key-entirely')).toBe('...&key=<redacted>');
  });
});
