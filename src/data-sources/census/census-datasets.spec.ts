import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPANY_SIZE_EMPLOYEES } from '../../domain/enums';
import { INDUSTRIES } from '../../domain/catalog';
import {
  CENSUS_NAICS,
  DATASETS,
  KNOWN_SIZE_LABELS,
  OR_MORE,
  inBand,
  readRecords,
  requestQuery,
  sizeClassOf,
} from './census-datasets';
import { parseCensusTable } from './census-response';

const FIXTURES = join(__dirname, '../../../test/fixtures/census');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('sizeClassOf', () => {
  it.each([
    ['All establishments', 0, OR_MORE, true],
    ['Establishments with less than 5 employees', 0, 4, false],
    ['Establishments with 5 to 9 employees', 5, 9, false],
    ['Establishments with 1,000 employees or more', 1000, OR_MORE, false],
    ['Firms with no employees', 0, 0, false],
    ['Firms with 250 to 499 employees', 250, 499, false],
    ['Firms with less than 500 employees', 0, 499, false],
  ])('should read "%s" as %d-%d', (label, min, max, total) => {
    expect(sizeClassOf('x', label)).toEqual({
      code: 'x',
      label,
      min,
      max,
      total,
    });
  });

  it('should read every data class of the official 2017 EMPSZES list the same as the code table says', () => {
    const official = (
      JSON.parse(fixture('cbp-2017-variables-EMPSZES.json')) as {
        values: { item: Record<string, string> };
      }
    ).values.item;
    for (const [code, label] of Object.entries(KNOWN_SIZE_LABELS.cbp)) {
      expect(official[code]).toBe(label);
      expect(sizeClassOf(code, official[code])).toBeDefined();
    }
    // Labels of other shapes ("with paid employees") are not guessed.
    expect(sizeClassOf('205', official['205'])).toBeUndefined();
  });
});

describe('inBand', () => {
  const cls = (label: string) => sizeClassOf('x', label)!;
  const { small, medium, large } = COMPANY_SIZE_EMPLOYEES;

  it('should put the CBP and ABS classes in the bands of the project (1-19, 20-99, 100-499)', () => {
    expect(
      inBand(cls('Establishments with less than 5 employees'), small),
    ).toBe(true);
    expect(inBand(cls('Firms with 1 to 4 employees'), small)).toBe(true);
    expect(inBand(cls('Firms with 10 to 19 employees'), small)).toBe(true);
    expect(inBand(cls('Firms with 20 to 49 employees'), small)).toBe(false);
    expect(inBand(cls('Firms with 20 to 49 employees'), medium)).toBe(true);
    expect(inBand(cls('Firms with 50 to 99 employees'), medium)).toBe(true);
    expect(inBand(cls('Firms with 100 to 249 employees'), large)).toBe(true);
    expect(inBand(cls('Firms with 250 to 499 employees'), large)).toBe(true);
  });

  it('should leave out no-employee firms, classes spanning bands, totals and 500+', () => {
    expect(inBand(cls('Firms with no employees'), small)).toBe(false);
    expect(inBand(cls('Firms with less than 500 employees'), large)).toBe(
      false,
    );
    expect(
      inBand(cls('Establishments with less than 10 employees'), medium),
    ).toBe(false);
    expect(inBand(cls('All firms'), large)).toBe(false);
    expect(inBand(cls('Firms with 500 employees or more'), large)).toBe(false);
  });
});

describe('readRecords over the real captures', () => {
  it('should read the 2023 CBP state rows: classes by label, noise flags, Alaska 18 of 19 establishments', () => {
    const { records, skipped } = readRecords(
      'cbp',
      parseCensusTable(fixture('cbp-2023-state-naics113310-by-empszes.json')),
    );
    expect(skipped).toEqual([]);
    const alaska = records.filter((r) => r.geo === '02');
    const total = alaska.find((r) => r.size.total)!;
    expect(total.units.value).toBe(19);
    expect(total.employees.value).toBe(145);
    const classes = alaska.filter((r) => !r.size.total);
    expect(classes.reduce((s, r) => s + r.units.value!, 0)).toBe(18);
    expect(classes.reduce((s, r) => s + r.employees.value!, 0)).toBe(92);
    // The noise flag of employment is read from EMP_N_F.
    expect(new Set(records.map((r) => r.employees.noise))).toEqual(
      new Set(['G', 'H', 'J']),
    );
    // This capture did not ask for payroll: no value, never a zero.
    expect(records.every((r) => r.payroll.value === null)).toBe(true);
  });

  it('should read the 2017 CBP EMPFLAG rows as withheld employment, not zero', () => {
    const { records } = readRecords(
      'cbp',
      parseCensusTable(fixture('cbp-2017-state-naics113310-by-empszes.json')),
    );
    const withheld = records.filter((r) => r.employees.flag !== null);
    expect(withheld.length).toBeGreaterThan(0);
    for (const r of withheld) {
      expect(r.employees.value).toBeNull();
      expect(r.units.value).toBeGreaterThan(0);
    }
  });

  it('should read the rebuilt ABS national rows by code, skip the stacked URSZFI rows, and keep the 611 zero', () => {
    const { records, skipped } = readRecords(
      'abscs',
      parseCensusTable(
        fixture('constructed/abscs-2022-us-naics52-from-notebook.json'),
      ),
    );
    expect(records.map((r) => r.size.code)).toEqual(['001', '611']);
    expect(skipped).toHaveLength(3);
    expect(skipped[0].reason).toBe('size class 001 repeated');
    const [all, none] = records;
    expect(all.geo).toBe('us');
    expect(all.receipts!.value).toBe(5_893_142_740);
    expect(all.employees.value).toBe(7_372_215);
    // Receipts per employee of finance, 2022: about $799k, as the reference computes it.
    expect(
      Math.round((all.receipts!.value! * 1000) / all.employees.value! / 1000),
    ).toBe(799);
    expect(none.employees.value).toBe(0);
    expect(none.employees.rse).toBe(0);
  });

  it('should read a "0" as unknown when the answer has no flag column for it (withheld cells are "0")', () => {
    // As in the real county capture (no _F columns asked for): Weston County's NAICS 81 has EMP "0" with payroll and
    // receipts published, and whole rows of "0" stand for withheld cells.
    const { records } = readRecords(
      'abscs',
      parseCensusTable(
        JSON.stringify([
          [
            'EMPSZFI',
            'EMPSZFI_LABEL',
            'FIRMPDEMP',
            'EMP',
            'PAYANN',
            'RCPPDEMP',
            'us',
          ],
          ['620', 'Firms with 5 to 9 employees', '12', '0', '845', '4210', '1'],
          ['630', 'Firms with 10 to 19 employees', '0', '0', '0', '0', '1'],
          ['641', 'Firms with 20 to 49 employees', '3', '96', '4100', '0', '1'],
        ]),
      ),
    );
    expect(
      records.map((r) => [
        r.size.code,
        r.units.value,
        r.employees.value,
        r.payroll.value,
        r.receipts!.value,
      ]),
    ).toEqual([
      ['620', 12, null, 845, 4210],
      ['630', null, null, null, null],
      ['641', 3, 96, 4100, null],
    ]);
  });
});

describe('requestQuery', () => {
  it('should ask ABS for every figure, flag and error with the totals pinned, and CBP with LFO=001', () => {
    expect(
      requestQuery(
        { dataset: 'abscs', year: 2022, naics: '44-45', geo: 'state' },
        'NAICS2022',
      ),
    ).toBe(
      'get=FIRMPDEMP,RCPPDEMP,EMP,PAYANN,EMPSZFI,EMPSZFI_LABEL,FIRMPDEMP_F,RCPPDEMP_F,EMP_F,PAYANN_F,RCPPDEMP_S,EMP_S,PAYANN_S&for=state:*&NAICS2022=44-45&SEX=001&ETH_GROUP=001&RACE_GROUP=00&VET_GROUP=001&RCPSZFI=001&YIBSZFI=001&URSZFI=001',
    );
    expect(
      requestQuery(
        { dataset: 'cbp', year: 2017, naics: '23', geo: 'us' },
        'NAICS2017',
        new Set(['EMP_N_F', 'PAYANN_N_F']),
      ),
    ).toBe(
      'get=ESTAB,EMP,PAYANN,EMPSZES,EMPSZES_LABEL,EMP_F,PAYANN_F&for=us:1&NAICS2017=23&LFO=001',
    );
  });

  it('should stay within 50 variables, and switch ABS to NAICS2022 in 2022', () => {
    for (const spec of Object.values(DATASETS))
      expect(spec.required.length + spec.optional.length).toBeLessThanOrEqual(
        50,
      );
    expect(DATASETS.abscs.naicsVariables(2021)).toEqual(['NAICS2017']);
    expect(DATASETS.abscs.naicsVariables(2022)).toEqual(['NAICS2022']);
    expect(DATASETS.cbp.naicsVariables(2023)).toEqual(['NAICS2017']);
  });

  it('should have a NAICS code for every industry of the catalog', () => {
    expect(Object.keys(CENSUS_NAICS).sort()).toEqual(
      INDUSTRIES.map((i) => i.key).sort(),
    );
  });
});
