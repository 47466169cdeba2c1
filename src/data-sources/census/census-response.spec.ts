import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CensusFormatError,
  classifyCensusAnswer,
  parseCensusTable,
  unknownPredicateOf,
  unknownVariableOf,
  type CensusHttpAnswer,
} from './census-response';

const FIXTURES = join(__dirname, '../../../test/fixtures/census');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function answer(
  status: number,
  body = '',
  headers: Record<string, string> = {},
): CensusHttpAnswer {
  const lower = Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return { status, body, header: (name) => lower[name.toLowerCase()] ?? null };
}

describe('parseCensusTable over the real captures', () => {
  it('should read the 2023 CBP body by column name, with its duplicated predicate columns and state last', () => {
    const table = parseCensusTable(
      fixture('cbp-2023-state-naics113310-by-empszes.json'),
    );
    expect(table.header).toHaveLength(15);
    expect(table.header.filter((h) => h === 'NAICS2017')).toHaveLength(2);
    expect(table.header.filter((h) => h === 'LFO')).toHaveLength(2);
    expect(table.header[table.header.length - 1]).toBe('state');
    expect(table.rows).toHaveLength(52);
    const alabama = table.rows[0];
    expect(table.cell(alabama, 'NAME')).toBe('Alabama');
    expect(table.cell(alabama, 'EMPSZES')).toBe('001');
    expect(table.cell(alabama, 'ESTAB')).toBe('463');
    expect(table.cell(alabama, 'EMP')).toBe('3330');
    expect(table.cell(alabama, 'EMP_F')).toBeNull();
    expect(table.cell(alabama, 'EMP_N_F')).toBe('G');
    expect(table.cell(alabama, 'NAICS2017')).toBe('113310');
    expect(table.cell(alabama, 'state')).toBe('01');
    expect(table.cell(alabama, 'PAYANN')).toBeUndefined();
    // Every value a string or null, every row as wide as the header.
    for (const row of table.rows) {
      expect(row).toHaveLength(15);
      for (const v of row)
        expect(v === null || typeof v === 'string').toBe(true);
    }
  });

  it('should read the 2017 CBP body, whose withheld employment is "0" with an EMPFLAG letter', () => {
    const table = parseCensusTable(
      fixture('cbp-2017-state-naics113310-by-empszes.json'),
    );
    const flagged = table.rows.filter((r) => table.cell(r, 'EMP_F') !== null);
    expect(flagged.length).toBeGreaterThan(0);
    for (const row of flagged) {
      expect(table.cell(row, 'EMP')).toBe('0');
      expect(table.cell(row, 'EMP_F')).toMatch(/^[a-m]$/);
    }
    expect(flagged.map((r) => table.cell(r, 'NAME')).sort()).toEqual(
      expect.arrayContaining(['Delaware', 'North Dakota']),
    );
  });

  it('should read the rebuilt ABS bodies (national, stacked size tables; county, withheld "0"s)', () => {
    const national = parseCensusTable(
      fixture('constructed/abscs-2022-us-naics52-from-notebook.json'),
    );
    expect(national.cell(national.rows[0], 'FIRMPDEMP')).toBe('235423');
    expect(national.cell(national.rows[0], 'us')).toBe('1');
    const county = parseCensusTable(
      fixture('constructed/abscs-2022-county-naics2-from-notebook.json'),
    );
    expect(county.header.slice(-2)).toEqual(['state', 'county']);
    expect(county.rows).toHaveLength(10);
  });

  it('should refuse what is not a table: HTML, a bare object, ragged rows, numbers for strings', () => {
    expect(() => parseCensusTable('<html><h1>Missing Key</h1></html>')).toThrow(
      /an HTML page, not JSON/,
    );
    expect(() => parseCensusTable('{"error":"x"}')).toThrow(CensusFormatError);
    expect(() => parseCensusTable('[]')).toThrow(/not an array of rows/);
    expect(() => parseCensusTable('[["A","B"],["1"]]')).toThrow(
      /row 1 is not as wide as the header/,
    );
    expect(() => parseCensusTable('[["A"],[1]]')).toThrow(
      /neither a string nor null/,
    );
  });
});

describe('classifyCensusAnswer', () => {
  const keyErrors = JSON.parse(fixture('constructed/key-errors.json')) as {
    missing_key: { status: number; headers: Record<string, string> };
    invalid_key: { status: number; headers: Record<string, string> };
    pre_2026_invalid_key_body: string;
  };

  it('should read the missing-key and invalid-key redirects as key errors, telling them apart', () => {
    expect(
      classifyCensusAnswer(
        answer(keyErrors.missing_key.status, '', keyErrors.missing_key.headers),
      ),
    ).toEqual({ kind: 'key_error', which: 'missing' });
    expect(
      classifyCensusAnswer(
        answer(keyErrors.invalid_key.status, '', keyErrors.invalid_key.headers),
      ),
    ).toEqual({ kind: 'key_error', which: 'invalid' });
  });

  it('should read the key-error header alone and the pre-2026 200 HTML page as key errors, another redirect as a request error', () => {
    expect(
      classifyCensusAnswer(
        answer(200, '[["A"],["1"]]', { 'X-DataWebAPI-KeyError': '1' }),
      ).kind,
    ).toBe('key_error');
    expect(
      classifyCensusAnswer(
        answer(301, '', {
          Location: 'https://api.census.gov/data/2022/cbp?get=EMP&key=secret',
        }),
      ),
    ).toEqual({
      kind: 'request_error',
      message:
        'HTTP 301: redirected to https://api.census.gov/data/2022/cbp (check CENSUS_API_URL)',
    });
    expect(
      classifyCensusAnswer(answer(200, keyErrors.pre_2026_invalid_key_body)),
    ).toEqual({ kind: 'key_error', which: 'invalid' });
  });

  it('should read 204 as no rows, 404 as not published, 429 and 5xx as transient, 400 as a request error', () => {
    expect(classifyCensusAnswer(answer(204))).toEqual({ kind: 'empty' });
    expect(
      classifyCensusAnswer(answer(404, '<html><h1>Not Found</h1></html>')),
    ).toEqual({ kind: 'not_published' });
    expect(classifyCensusAnswer(answer(429)).kind).toBe('transient');
    expect(
      classifyCensusAnswer(
        answer(
          500,
          "There was an error while running your query.  We've logged the error and we'll correct it ASAP.",
        ),
      ),
    ).toEqual({ kind: 'transient', message: 'HTTP 500' });
    expect(
      classifyCensusAnswer(answer(400, "error: unknown variable 'XYZ'")),
    ).toEqual({
      kind: 'request_error',
      message: "HTTP 400: error: unknown variable 'XYZ'",
    });
  });

  it('should read a 200 HTML page as transient (never as data), and a real body as rows', () => {
    expect(
      classifyCensusAnswer(answer(200, '<!doctype html><h1>Maintenance</h1>')),
    ).toEqual({
      kind: 'transient',
      message:
        'the Census API answered with an unreadable body: an HTML page, not JSON',
    });
    const rows = classifyCensusAnswer(
      answer(200, fixture('cbp-2023-state-naics113310-by-empszes.json')),
    );
    expect(rows.kind).toBe('rows');
  });

  it('should name the variable of the real 400 texts', () => {
    expect(
      unknownVariableOf("HTTP 400: error: unknown variable 'EMP_N_F'"),
    ).toBe('EMP_N_F');
    expect(
      unknownPredicateOf("HTTP 400: error: unknown predicate variable: 'time'"),
    ).toBe('time');
    expect(unknownVariableOf("error: unknown predicate variable: 'time'")).toBe(
      undefined,
    );
  });
});
