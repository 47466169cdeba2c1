import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CENSUS_STUB_KEY,
  startCensusStub,
  type CensusStub,
} from './census-stub-server';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'census');
const KEY = DEFAULT_CENSUS_STUB_KEY;

let stub: CensusStub;
beforeAll(async () => {
  stub = await startCensusStub({ slowMs: 50 });
});
afterAll(() => stub.close());
beforeEach(() => stub.setFault('none'));

const get = (path: string, init: RequestInit = {}) =>
  fetch(`${stub.url}${path}`, { redirect: 'manual', ...init });

describe('Census stub server', () => {
  it("should answer the real 2023 CBP request in the real answer's layout: get columns, echoed predicates, state last", async () => {
    const real = JSON.parse(
      readFileSync(
        join(FIXTURES, 'cbp-2023-state-naics113310-by-empszes.json'),
        'utf8',
      ),
    ) as string[][];
    const getList = real[0].slice(0, 12).join(',');
    const res = await get(
      `/2023/cbp?get=${getList}&for=state:*&NAICS2017=23&LFO=001&key=${KEY}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Array<Array<string | null>>;
    expect(body[0]).toEqual(real[0]);
    for (const row of body.slice(1)) {
      expect(row).toHaveLength(real[0].length);
      expect(row.every((v) => v === null || typeof v === 'string')).toBe(true);
      expect(row.slice(-3, -1)).toEqual(['23', '001']);
    }
    // Puerto Rico is in state:* as in the real API.
    expect(body.some((row) => row.at(-1) === '72')).toBe(true);
  });

  it('should answer only the size class asked for by its code', async () => {
    const res = await get(
      `/2022/cbp?get=ESTAB,EMPSZES&for=us:1&NAICS2017=23&LFO=001&EMPSZES=001&key=${KEY}`,
    );
    const body = (await res.json()) as string[][];
    expect(body[0]).toEqual([
      'ESTAB',
      'EMPSZES',
      'NAICS2017',
      'LFO',
      'EMPSZES',
      'us',
    ]);
    expect(body.slice(1).map((r) => [r[1], r[4]])).toEqual([['001', '001']]);
  });

  it('should redirect without a key or with a wrong one, with the key-error header, as the real API does', async () => {
    const missing = await get('/2022/cbp?get=ESTAB&for=us:1&NAICS2017=23');
    expect(missing.status).toBe(302);
    expect(missing.headers.get('location')).toMatch(
      /\/data\/missing_key\.html$/,
    );
    expect(missing.headers.get('x-datawebapi-keyerror')).toBe('1');
    const wrong = await get(
      '/2022/cbp?get=ESTAB&for=us:1&NAICS2017=23&key=0000000000000000000000000000000000000000',
    );
    expect(wrong.status).toBe(302);
    expect(wrong.headers.get('location')).toMatch(/\/data\/invalid_key\.html$/);
  });

  it('should refuse what the real API refuses, in its words', async () => {
    const cases: Array<[string, number, string]> = [
      [`/2024/cbp?get=ESTAB&for=us:1&NAICS2017=23&key=${KEY}`, 404, '<'],
      [
        `/2022/cbp?get=ESTAB,NOPE&for=us:1&NAICS2017=23&key=${KEY}`,
        400,
        "error: unknown variable 'NOPE'",
      ],
      // CBP 2017 has no noise flags.
      [
        `/2017/cbp?get=ESTAB,EMP_N_F&for=us:1&NAICS2017=23&key=${KEY}`,
        400,
        "error: unknown variable 'EMP_N_F'",
      ],
      [
        `/2022/cbp?get=ESTAB&NAICS2017=23&key=${KEY}`,
        400,
        "error: missing 'for' argument",
      ],
      [
        `/2022/abscs?get=FIRMPDEMP&for=us:1&NAICS2017=23&key=${KEY}`,
        400,
        "error: unknown predicate variable: 'NAICS2017'",
      ],
      [`/2022/cbp?get=ESTAB&for=us:1&NAICS2017=999&key=${KEY}`, 204, ''],
    ];
    for (const [path, status, text] of cases) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, status]);
      expect((await res.text()).startsWith(text)).toBe(true);
    }
  });

  it('should switch faults on for every data request, or per request by header', async () => {
    const path = `/2022/cbp?get=ESTAB&for=us:1&NAICS2017=23&key=${KEY}`;
    stub.setFault('429');
    expect((await get(path)).status).toBe(429);
    stub.setFault('none');
    const html = await get(path, { headers: { 'x-stub-fault': 'html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(
      (await get(path, { headers: { 'x-stub-fault': '500' } })).status,
    ).toBe(500);
    expect(
      (await get(path, { headers: { 'x-stub-fault': 'key' } })).status,
    ).toBe(302);
    expect((await get(path)).status).toBe(200);
  });
});
