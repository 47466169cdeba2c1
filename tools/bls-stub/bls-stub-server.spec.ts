import {
  type BlsWirePoint,
  STUB_STATES,
  stubSeriesIds,
  stubValue,
} from './bls-stub-data';
import {
  type BlsStub,
  type BlsStubFault,
  DEFAULT_STUB_KEY,
  INVALID_KEY_MESSAGE,
  QUOTA_MESSAGE,
  startBlsStub,
} from './bls-stub-server';

interface Series {
  seriesID: string;
  data: BlsWirePoint[];
}
interface Envelope {
  status: string;
  responseTime: number;
  message: string[];
  Results: { series: Series[] };
}

const NOW = new Date('2026-11-15T12:00:00Z');
const KEY = DEFAULT_STUB_KEY;
const RETAIL_WAGE = 'ENUUS00040544-45';
const RETAIL_PAY = 'ENUUS00050544-45';
const OE_RETAIL_MEDIAN = 'OEUN000000044--4600000013';
/** The QCEW codes the stub serves by state: the total and the sectors. */
// prettier-ignore
const STATE_INDUSTRIES = ['44-45', '72', '54', '31-33', '62', '23', '61', '53', '10'];
const AREAS = ['US000', ...STUB_STATES.map((s) => `${s.fips}000`)];

let clock = NOW;
let stub: BlsStub;

function base(version = 'v2'): string {
  return stub.url.replace('/v2', `/${version}`);
}

async function post(
  body: unknown,
  { path = '/timeseries/data/', headers = {}, version = 'v2' } = {},
): Promise<Response> {
  return fetch(base(version) + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function data(body: unknown, opts = {}): Promise<Envelope> {
  const res = await post(body, opts);
  expect(res.status).toBe(200);
  return (await res.json()) as Envelope;
}

const years = (s: Series) => [...new Set(s.data.map((p) => Number(p.year)))];

beforeAll(async () => {
  stub = await startBlsStub({ now: () => clock, slowMs: 200 });
});
afterAll(() => stub.close());
beforeEach(() => {
  clock = NOW;
  stub.setFault('none');
  stub.resetCounters();
});

describe('routes', () => {
  it.each(['/timeseries/data/', '/timeseries/data'])(
    'POST %s on v2 and v1 serves JSON bodies',
    async (path) => {
      for (const version of ['v2', 'v1']) {
        const body = await data({ seriesid: [RETAIL_WAGE] }, { path, version });
        expect(body.status).toBe('REQUEST_SUCCEEDED');
        expect(body.Results.series[0].seriesID).toBe(RETAIL_WAGE);
        expect(body.Results.series[0].data.length).toBeGreaterThan(0);
      }
    },
  );

  it('emits the object envelope with the real API line breaks', async () => {
    const res = await post({ seriesid: RETAIL_WAGE });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.text()).toMatch(/"Results":\{\n"series":\n\[\{"seriesID"/);
  });

  it('accepts a form-encoded POST with comma-separated IDs', async () => {
    const res = await fetch(`${stub.url}/timeseries/data`, {
      method: 'POST',
      body: new URLSearchParams({
        seriesid: `${RETAIL_WAGE},${RETAIL_PAY}`,
        startyear: '2020',
        endyear: '2024',
        registrationkey: KEY,
      }),
    });
    const body = (await res.json()) as Envelope;
    expect(body.Results.series.map((s) => s.seriesID)).toEqual([
      RETAIL_WAGE,
      RETAIL_PAY,
    ]);
    expect(years(body.Results.series[1])).toEqual([
      2024, 2023, 2022, 2021, 2020,
    ]);
    expect(stub.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/publicAPI/v2/timeseries/data',
      body: {
        seriesid: `${RETAIL_WAGE},${RETAIL_PAY}`,
        registrationkey: KEY,
      },
    });
  });

  it('answers 415 for other content types and 400 for malformed JSON', async () => {
    const plain = await post('x', {
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    const none = await fetch(`${stub.url}/timeseries/data/`, {
      method: 'POST',
    });
    expect(none.status).toBe(415);
    const bad = await fetch(`${stub.url}/timeseries/data/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{oops',
    });
    expect(bad.status).toBe(400);
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    expect((await fetch(`${stub.url}/nope`)).status).toBe(404);
    expect(
      (await fetch(stub.url.replace('v2', 'v3') + '/surveys')).status,
    ).toBe(404);
    expect((await fetch(`${stub.url}/timeseries/data/`)).status).toBe(405);
  });

  it('serves GET of one series, with years, latest=true and the key in the query', async () => {
    const res = await fetch(
      `${stub.url}/timeseries/data/${OE_RETAIL_MEDIAN}?registrationkey=${KEY}&startyear=2012&endyear=2031`,
    );
    const body = (await res.json()) as Envelope;
    // OEWS holds one year in the API, the latest May estimates: 2025 at NOW.
    expect(body.message).toEqual(
      [
        2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023,
        2024, 2026, 2027, 2028, 2029, 2030, 2031,
      ].map(
        (y) => `No Data Available for Series ${OE_RETAIL_MEDIAN} Year: ${y}`,
      ),
    );
    expect(body.Results.series[0].data).toEqual([
      expect.objectContaining({ year: '2025', period: 'A01', latest: 'true' }),
    ]);
    const latest = (await (
      await fetch(`${stub.url}/timeseries/data/${RETAIL_WAGE}?latest=true`)
    ).json()) as Envelope;
    expect(latest.Results.series[0].data).toEqual([
      expect.objectContaining({ year: '2026', period: 'Q01', latest: 'true' }),
    ]);
  });

  it('serves surveys and popular series', async () => {
    const all = (await (await fetch(`${stub.url}/surveys`)).json()) as {
      Results: { survey: Array<{ survey_abbreviation: string }> };
    };
    expect(all.Results.survey.map((s) => s.survey_abbreviation)).toContain(
      'EN',
    );
    const en = (await (await fetch(`${stub.url}/surveys/en`)).json()) as {
      Results: { survey: Array<Record<string, string>> };
    };
    expect(en.Results.survey[0]).toMatchObject({
      survey_abbreviation: 'EN',
      hasAnnualAverages: 'true',
    });
    const popular = (await (
      await fetch(`${stub.url}/timeseries/popular?survey=EN`)
    ).json()) as Envelope;
    expect(popular.Results.series).toHaveLength(25);
    expect(
      popular.Results.series.every((s) => s.seriesID.startsWith('EN')),
    ).toBe(true);
  });
});

describe('keys and limits', () => {
  const ids = (n: number) => stubSeriesIds().slice(100, 100 + n);

  it('refuses an unknown key without echoing it', async () => {
    const res = await post({
      seriesid: [RETAIL_WAGE],
      registrationkey: 'secret-123',
    });
    const raw = await res.text();
    expect(raw).not.toContain('secret-123');
    expect(JSON.parse(raw)).toEqual({
      status: 'REQUEST_NOT_PROCESSED',
      responseTime: expect.any(Number) as number,
      message: [INVALID_KEY_MESSAGE],
      Results: {},
    });
  });

  it('caps series at 50 with a key (either spelling) and 25 without', async () => {
    const withKey = await data({ seriesid: ids(60), registrationKey: KEY });
    expect(withKey.Results.series.map((s) => s.seriesID)).toEqual(ids(50));
    expect(withKey.message).toContain(
      'Only the first 50 series were processed.',
    );
    const without = await data({ seriesid: ids(30) });
    expect(without.Results.series).toHaveLength(25);
    expect(without.message).toContain(
      'Only the first 25 series were processed.',
    );
  });

  it('cuts a long year span to 20 years with a key, 10 without, and on v1', async () => {
    const req = {
      seriesid: [RETAIL_PAY],
      startyear: 2000,
      endyear: '2026',
    };
    const withKey = await data({ ...req, registrationkey: KEY });
    expect(withKey.status).toBe('REQUEST_SUCCEEDED');
    expect(withKey.message[0]).toBe(
      'Year range has been reduced to the system-allowed limit of 20 years.',
    );
    expect(Math.max(...years(withKey.Results.series[0]))).toBe(2019);
    expect(withKey.message).toContain(
      `No Data Available for Series ${RETAIL_PAY} Year: 2011`,
    );
    const without = await data({ ...req, startyear: '2016' });
    expect(without.message[0]).toMatch(/limit of 10 years\.$/);
    expect(years(without.Results.series[0])).toEqual([
      2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016,
    ]);
    const v1 = await data({ ...req, registrationkey: KEY }, { version: 'v1' });
    expect(v1.message[0]).toMatch(/limit of 10 years\.$/);
  });

  it('defaults to the last 3 years and needs both years or neither', async () => {
    const body = await data({ seriesid: [OE_RETAIL_MEDIAN, RETAIL_WAGE] });
    expect(years(body.Results.series[0])).toEqual([2025]);
    expect(years(body.Results.series[1])).toEqual([2026, 2025, 2024]);
    expect(body.message).toEqual([
      `No Data Available for Series ${OE_RETAIL_MEDIAN} Year: 2024`,
      `No Data Available for Series ${OE_RETAIL_MEDIAN} Year: 2026`,
    ]);
    const half = await data({ seriesid: [RETAIL_WAGE], startyear: '2020' });
    expect(half.status).toBe('REQUEST_NOT_PROCESSED');
    expect(half.message).toHaveLength(1);
  });

  it('reports invalid and unknown IDs as empty series, status still SUCCEEDED', async () => {
    const body = await data({
      seriesid: ['enuus00040510', 'CES0500000003', RETAIL_WAGE],
    });
    expect(body.status).toBe('REQUEST_SUCCEEDED');
    expect(body.message).toEqual([
      'Invalid Series for Series enuus00040510',
      'Series does not exist for Series CES0500000003',
    ]);
    expect(body.Results.series.map((s) => s.data.length)).toEqual([0, 0, 9]);
  });

  // bls-api.md §2.3: the live database writes sectors as first--one-past-last and answers the padded form with
  // "Series does not exist"; QCEW state series are served only for sectors (§2.1, §6).
  it('answers "Series does not exist" for IDs the real database lacks, and records them', async () => {
    const before = stub.unknownSeries.length;
    const real = [
      'OEUN000000044--4600000013',
      'OEUN000000062120000000001', // offices of dentists, employment (a real ID)
      'OEUN000000000000000000013',
      'ENU2600050544-45', // Michigan retail (a real ID)
      'ENUUS000105722',
      'ENU0600010572',
    ];
    const absent = [
      'OEUN000000044000000000013', // padded sector
      'OEUN000000031000000000013',
      'OEUN000000062000000000013',
      'ENU060001055415', // a state below the sector
    ];
    const body = await data({
      seriesid: [...real, ...absent],
      registrationkey: KEY,
    });
    expect(body.message.filter((m) => /does not exist/.test(m))).toEqual(
      absent.map((id) => `Series does not exist for Series ${id}`),
    );
    const byId = new Map(body.Results.series.map((s) => [s.seriesID, s]));
    for (const id of real) expect(byId.get(id)!.data.length).toBeGreaterThan(0);
    expect(stub.unknownSeries.slice(before)).toEqual(absent);
  });
});

describe('data points', () => {
  it('are newest first, string-valued, latest only on the first, P on the newest year', async () => {
    const body = await data({
      seriesid: ['ENUUS00010544-45', RETAIL_WAGE, 'ENUUS00050544-45'],
      startyear: '2023',
      endyear: '2026',
      registrationkey: KEY,
    });
    const [emp, weekly, annual] = body.Results.series;
    expect(emp.data.map((p) => `${p.year}${p.period}`).slice(0, 5)).toEqual([
      '2026M03',
      '2026M02',
      '2026M01',
      '2025M12',
      '2025M11',
    ]);
    expect(emp.data).toHaveLength(39);
    expect(weekly.data[0]).toMatchObject({
      periodName: '1st Quarter',
      latest: 'true',
    });
    expect(annual.data.map((p) => p.year)).toEqual(['2025', '2024', '2023']);
    for (const s of body.Results.series) {
      const newest = s.data[0].year;
      s.data.forEach((p, i) => {
        expect(typeof p.value).toBe('string');
        expect(p.value).toMatch(/^\d+$/);
        expect('latest' in p).toBe(i === 0);
        expect(p.footnotes).toEqual(
          p.year === newest ? [{ code: 'P', text: 'Preliminary.' }] : [{}],
        );
      });
    }
    expect(Object.keys(emp.data[0])).toEqual([
      'year',
      'period',
      'periodName',
      'latest',
      'value',
      'footnotes',
    ]);
  });

  it('follow the publication rules', () => {
    const at = (iso: string) => new Date(iso);
    expect(
      stubValue(OE_RETAIL_MEDIAN, 2025, 'A01', at('2026-03-31T23:59:59Z')),
    ).toBeUndefined();
    expect(
      stubValue(OE_RETAIL_MEDIAN, 2024, 'A01', at('2026-03-31T23:59:59Z')),
    ).toBeDefined();
    // The spring release replaces the year before: the API holds one OEWS year.
    expect(
      stubValue(OE_RETAIL_MEDIAN, 2025, 'A01', at('2026-04-01T00:00:00Z')),
    ).toBeDefined();
    expect(
      stubValue(OE_RETAIL_MEDIAN, 2024, 'A01', at('2026-04-01T00:00:00Z')),
    ).toBeUndefined();
    expect(stubValue(OE_RETAIL_MEDIAN, 2011, 'A01', NOW)).toBeUndefined();
    expect(
      stubValue(RETAIL_WAGE, 2026, 'Q01', at('2026-09-30T12:00:00Z')),
    ).toBeUndefined();
    expect(
      stubValue(RETAIL_WAGE, 2026, 'Q01', at('2026-10-01T00:00:00Z')),
    ).toBeDefined();
    expect(
      stubValue('ENUUS00010544-45', 2026, 'M03', at('2026-10-01T00:00:00Z')),
    ).toBeDefined();
    expect(
      stubValue('ENUUS00050544-45', 2025, 'A01', at('2026-06-30T00:00:00Z')),
    ).toBeUndefined();
    expect(
      stubValue('ENUUS00050544-45', 2025, 'A01', at('2026-07-01T00:00:00Z')),
    ).toBeDefined();
    expect(stubValue(RETAIL_WAGE, 2024, 'M01', NOW)).toBeUndefined();
  });

  it('US000 employment and total wages are the exact sums of the 51 states', async () => {
    for (const ind of STATE_INDUSTRIES) {
      for (const [dt, periods] of [
        ['1', ['M01', 'M07', 'M12']],
        ['3', ['Q01', 'Q02', 'Q03', 'Q04']],
      ] as const) {
        for (const y of [2012, 2019, 2025]) {
          for (const period of periods) {
            const value = (area: string) =>
              Number(stubValue(`ENU${area}${dt}05${ind}`, y, period, NOW));
            const states = AREAS.slice(1).filter(
              (a) => !(a === '56000' && ind === '61'),
            );
            const sum = states.reduce((s, a) => s + value(a), 0);
            if (ind === '61') expect(value('US000')).toBeGreaterThan(sum);
            else expect(value('US000')).toBe(sum);
          }
        }
      }
    }
    // and over the wire, in two requests of 26 series
    const totals = new Map<string, number>();
    let national: Series | undefined;
    for (const chunk of [AREAS.slice(0, 26), AREAS.slice(26)]) {
      const ids = chunk.map((a) => `ENU${a}30544-45`);
      const body = await data({ seriesid: ids, registrationkey: KEY });
      for (const s of body.Results.series) {
        if (s.seriesID.startsWith('ENUUS')) national = s;
        else
          for (const p of s.data) {
            const k = p.year + p.period;
            totals.set(k, (totals.get(k) ?? 0) + Number(p.value));
          }
      }
    }
    expect(national?.data.length).toBe(9);
    for (const p of national?.data ?? []) {
      expect(Number(p.value)).toBe(totals.get(p.year + p.period));
    }
  });

  it('derives average weekly wage and annual pay from the published figures', () => {
    for (const area of ['US000', '06000', '11000']) {
      const v = (dt: string, y: number, p: string) =>
        Number(stubValue(`ENU${area}${dt}0554`, y, p, NOW));
      const emp = (q: number) =>
        [1, 2, 3].map((k) =>
          v('1', 2024, `M${String(3 * q - 3 + k).padStart(2, '0')}`),
        );
      const avg = (q: number) => emp(q).reduce((a, b) => a + b) / 3;
      expect(v('4', 2024, 'Q02')).toBe(
        Math.round((v('3', 2024, 'Q02') * 1000) / avg(2) / 13),
      );
      const wages = [1, 2, 3, 4].reduce(
        (s, q) => s + v('3', 2024, `Q0${q}`),
        0,
      );
      const emp12 = [1, 2, 3, 4].flatMap(emp).reduce((a, b) => a + b) / 12;
      expect(v('5', 2024, 'A01')).toBe(Math.round((wages * 1000) / emp12));
    }
  });

  it('are plausible: OEWS percentiles increase, 2024 levels near the targets', () => {
    const near = (x: string | undefined, target: number, tol = 0.12) =>
      expect(Math.abs(Number(x) / target - 1)).toBeLessThan(tol);
    // Each OEWS year while it is the one the API holds (from its release on April 1 of the next year).
    const held = (y: number) => new Date(Date.UTC(y + 1, 5, 1));
    for (const ind of ['44--46', '722000', '541500', '000000', '61--62']) {
      for (let y = 2012; y <= 2025; y++) {
        const pct = ['11', '12', '13', '14', '15'].map((dt) =>
          Number(stubValue(`OEUN0000000${ind}000000${dt}`, y, 'A01', held(y))),
        );
        pct.slice(1).forEach((p, i) => expect(p).toBeGreaterThan(pct[i]));
      }
    }
    near(
      stubValue('OEUN000000072200000000013', 2024, 'A01', held(2024)),
      31000,
    );
    near(
      stubValue('OEUN000000054150000000013', 2024, 'A01', held(2024)),
      108000,
    );
    near(stubValue('ENUUS00010544-45', 2024, 'M06', NOW), 15.6e6);
    near(stubValue('ENUUS000105722', 2024, 'M06', NOW), 12.4e6);
    near(stubValue('ENUUS00010510', 2024, 'M06', NOW), 135e6);
    near(stubValue('ENUUS000405722', 2024, 'Q02', NOW), 520);
    near(stubValue('ENUUS00040531-33', 2024, 'Q02', NOW), 1450);
    const dec = Number(stubValue('ENUUS00010544-45', 2024, 'M12', NOW));
    expect(dec).toBeGreaterThan(
      Number(stubValue('ENUUS00010544-45', 2024, 'M03', NOW)),
    );
  });

  it('suppresses Wyoming 61 in every QCEW datatype', async () => {
    const ids = ['1', '3', '4', '5'].map((dt) => `ENU56000${dt}0561`);
    const body = await data({
      seriesid: ids,
      startyear: '2020',
      endyear: '2026',
      registrationkey: KEY,
    });
    for (const s of body.Results.series) {
      expect(s.data.length).toBeGreaterThan(0);
      for (const p of s.data) {
        expect(p.value).toBe('-');
        expect(p.footnotes).toEqual([{ code: 'N', text: 'Not available.' }]);
      }
    }
    expect(stubValue('ENU5600010561', 2024, 'M01', NOW)).toBe('-');
    expect(stubValue('ENU5600010561', 2024, 'M13', NOW)).toBeUndefined();
    expect(stubValue('ENU5600010562', 2024, 'M01', NOW)).not.toBe('-');
    // below the sector there is no state series at all
    expect(stubValue('ENU560001055415', 2024, 'M01', NOW)).toBeUndefined();
  });

  it('are deterministic: the same across stubs and clocks once published', async () => {
    const req = {
      seriesid: [RETAIL_WAGE, RETAIL_PAY],
      startyear: '2014',
      endyear: '2024',
    };
    const a = await data({ ...req, registrationkey: KEY });
    const other = await startBlsStub({
      now: () => new Date('2031-01-01T00:00:00Z'),
    });
    try {
      const b = (await (
        await fetch(`${other.url}/timeseries/data/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ...req, registrationkey: KEY }),
        })
      ).json()) as Envelope;
      const strip = (e: Envelope) =>
        e.Results.series.map((s) =>
          s.data.map((p) => [p.year, p.period, p.value]),
        );
      expect(strip(b)).toEqual(strip(a));
    } finally {
      await other.close();
    }
    // An OEWS year has the same value on every day the API holds it.
    const oews2024 = stubValue(
      OE_RETAIL_MEDIAN,
      2024,
      'A01',
      new Date('2025-04-01T00:00:00Z'),
    );
    expect(
      stubValue(
        OE_RETAIL_MEDIAN,
        2024,
        'A01',
        new Date('2026-03-31T23:59:59Z'),
      ),
    ).toBe(oews2024);
    expect(oews2024).toBe('34760');
    expect(stubValue('ENUUS00050510', 2024, 'A01', NOW)).toBe('73303');
  });
});

describe('daily quota and rate limit', () => {
  let day = NOW;
  let small: BlsStub;
  beforeAll(async () => {
    small = await startBlsStub({
      now: () => day,
      keys: ['key-a', 'key-b'],
      dailyLimitWithKey: 3,
      dailyLimitWithoutKey: 2,
    });
  });
  afterAll(() => small.close());

  const ask = async (key?: string, version = 'v2') => {
    const res = await fetch(
      `${small.url.replace('v2', version)}/timeseries/data/`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ seriesid: [RETAIL_WAGE], registrationkey: key }),
      },
    );
    expect(res.status).toBe(200);
    return res.text();
  };
  const refusal = JSON.stringify({
    status: 'REQUEST_NOT_PROCESSED',
    responseTime: 0,
    message: [QUOTA_MESSAGE],
    Results: {},
  });

  it('refuses past the limit per key, shares one counter without a key, resets at UTC midnight', async () => {
    expect(QUOTA_MESSAGE).toContain('registration key  has been reached.');
    for (let i = 0; i < 3; i++)
      expect(await ask('key-a')).toContain('REQUEST_SUCCEEDED');
    expect(await ask('key-a')).toBe(refusal);
    expect(await ask('key-b')).toContain('REQUEST_SUCCEEDED');
    expect(await ask()).toContain('REQUEST_SUCCEEDED');
    expect(await ask('key-a', 'v1')).toContain('REQUEST_SUCCEEDED'); // v1: no key
    expect(await ask()).toBe(refusal);
    day = new Date('2026-11-15T23:59:59Z');
    expect(await ask('key-a')).toBe(refusal);
    day = new Date('2026-11-16T00:00:00Z');
    expect(await ask('key-a')).toContain('REQUEST_SUCCEEDED');
    expect(await ask()).toContain('REQUEST_SUCCEEDED');
    expect(await ask()).toContain('REQUEST_SUCCEEDED');
    expect(await ask()).toBe(refusal);
    small.resetCounters();
    expect(await ask()).toContain('REQUEST_SUCCEEDED');
  });

  it('answers 429 past 50 requests in 10 s, until the counters reset', async () => {
    for (let i = 0; i < 50; i++) {
      expect((await fetch(`${stub.url}/surveys`)).status).toBe(200);
    }
    const res = await fetch(`${stub.url}/timeseries/data/${RETAIL_WAGE}`);
    expect(res.status).toBe(429);
    expect((await res.text()).length).toBeLessThan(100);
    stub.resetCounters();
    expect((await fetch(`${stub.url}/surveys`)).status).toBe(200);
  });
});

describe('faults', () => {
  const req = {
    seriesid: [RETAIL_WAGE, OE_RETAIL_MEDIAN],
    registrationkey: KEY,
  };
  const viaDefault = async (fault: BlsStubFault) => {
    stub.setFault(fault);
    return post(req);
  };
  const viaHeader = (fault: BlsStubFault) =>
    post(req, { headers: { 'x-stub-fault': fault } });

  it.each([
    ['setFault', viaDefault],
    ['x-stub-fault header', viaHeader],
  ])('are applied via %s', async (_how, send) => {
    expect((await send('429')).status).toBe(429);
    const e500 = await send('500');
    expect(e500.status).toBe(500);
    expect(e500.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await send('html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toMatch(
      /^<!doctype html><html>.*maintenance.*<\/html>$/,
    );
    expect(await (await send('null-results')).json()).toEqual({
      status: 'REQUEST_FAILED',
      responseTime: 1,
      message: [],
      Results: null,
    });
    expect(await (await send('quota')).json()).toEqual({
      status: 'REQUEST_NOT_PROCESSED',
      responseTime: 0,
      message: [QUOTA_MESSAGE],
      Results: {},
    });
    const arr = (await (await send('array-results')).json()) as {
      Results: Array<{ series: Series[] }>;
    };
    expect(Array.isArray(arr.Results)).toBe(true);
    expect(arr.Results[0].series.map((s) => s.seriesID)).toEqual(req.seriesid);
    const shuffled = (await (await send('shuffle')).json()) as Envelope;
    expect(shuffled.Results.series.map((s) => s.seriesID)).toEqual(
      [...req.seriesid].reverse(),
    );
    const t0 = Date.now();
    const slow = (await (await send('slow')).json()) as Envelope;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(slow.status).toBe('REQUEST_SUCCEEDED');
  });

  it('the header overrides the default fault; unknown values are refused', async () => {
    stub.setFault('500');
    expect((await viaHeader('none')).status).toBe(200);
    expect(
      (await post(req, { headers: { 'x-stub-fault': 'bogus' } })).status,
    ).toBe(400);
    expect(() => stub.setFault('bogus' as BlsStubFault)).toThrow();
  });

  it('close() does not wait for a pending slow answer', async () => {
    const other = await startBlsStub({ fault: 'slow', slowMs: 60_000 });
    const pending = fetch(`${other.url}/surveys`).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await other.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await pending).toBe('dropped');
  });
});
