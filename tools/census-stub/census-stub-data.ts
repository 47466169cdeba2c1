/**
 * Deterministic, plausible data for the local Census Data API stub. Pure: no I/O, no clock; every figure is derived
 * from (dataset, year, NAICS code, state, size class) with a hash.
 *
 * What it mimics (../shared/reference/census-api.md):
 * - `abscs` (Annual Business Survey, employer firms by EMPSZFI firm size) and `cbp` (County Business Patterns,
 *   establishments by EMPSZES size), vintages 2017..{@link STUB_LATEST_YEAR}; `abscs` filters on NAICS2017 up to
 *   2021 and NAICS2022 from 2022, `cbp` on NAICS2017.
 * - Size classes with the real codes and labels, the all-sizes total `001` (the sum of every class, withheld ones
 *   included) and, in ABS, the stacked "less than 500 employees" class (655) that overlaps the others.
 * - States and the nation: a nation's row is the sum of the states' plus what no state publishes (0.4%).
 * - Suppression as Census does it: a CBP class with fewer than 3 establishments has no row at all; an ABS figure is
 *   withheld as "0" with a flag (D or S); CBP 2017 withholds employment as "0" with an EMPFLAG range letter. ABS
 *   carries relative standard errors (`X_S`), CBP 2018 on noise flags (G, H, J in `X_N_F`).
 * - One peer group is withheld on purpose, so fallbacks can be seen: hospitality (NAICS 721), 100-499 employees,
 *   in every Southwest state ({@link STUB_WITHHELD}).
 */
import { STUB_STATES } from '../bls-stub/bls-stub-data';

export type StubDataset = 'abscs' | 'cbp';

/** The newest vintage the stub serves; later years answer 404 (not published). */
export const STUB_LATEST_YEAR = 2023;
export const STUB_FIRST_YEAR = 2017;

/** Puerto Rico: served in `state:*` answers, as the real API does, and in no region. */
export const PUERTO_RICO = '72';

/** Size classes: code, label, employees per unit on average, share of units. */
interface StubClass {
  readonly code: string;
  readonly label: string;
  readonly employees: number;
  readonly share: number;
  /** Employee range, for the withheld peer group. */
  readonly min: number;
}

const CBP_CLASSES: readonly StubClass[] = [
  {
    code: '210',
    label: 'Establishments with less than 5 employees',
    employees: 1.9,
    share: 0.54,
    min: 0,
  },
  {
    code: '220',
    label: 'Establishments with 5 to 9 employees',
    employees: 6.6,
    share: 0.19,
    min: 5,
  },
  {
    code: '230',
    label: 'Establishments with 10 to 19 employees',
    employees: 13.5,
    share: 0.13,
    min: 10,
  },
  {
    code: '241',
    label: 'Establishments with 20 to 49 employees',
    employees: 30,
    share: 0.09,
    min: 20,
  },
  {
    code: '242',
    label: 'Establishments with 50 to 99 employees',
    employees: 68,
    share: 0.03,
    min: 50,
  },
  {
    code: '251',
    label: 'Establishments with 100 to 249 employees',
    employees: 150,
    share: 0.015,
    min: 100,
  },
  {
    code: '252',
    label: 'Establishments with 250 to 499 employees',
    employees: 340,
    share: 0.004,
    min: 250,
  },
  {
    code: '254',
    label: 'Establishments with 500 to 999 employees',
    employees: 680,
    share: 0.0008,
    min: 500,
  },
  {
    code: '260',
    label: 'Establishments with 1,000 employees or more',
    employees: 1800,
    share: 0.0002,
    min: 1000,
  },
];

const ABS_CLASSES: readonly StubClass[] = [
  {
    code: '611',
    label: 'Firms with no employees',
    employees: 0,
    share: 0.08,
    min: 0,
  },
  {
    code: '612',
    label: 'Firms with 1 to 4 employees',
    employees: 2.2,
    share: 0.5,
    min: 1,
  },
  {
    code: '620',
    label: 'Firms with 5 to 9 employees',
    employees: 6.6,
    share: 0.18,
    min: 5,
  },
  {
    code: '630',
    label: 'Firms with 10 to 19 employees',
    employees: 13.6,
    share: 0.12,
    min: 10,
  },
  {
    code: '641',
    label: 'Firms with 20 to 49 employees',
    employees: 30,
    share: 0.08,
    min: 20,
  },
  {
    code: '642',
    label: 'Firms with 50 to 99 employees',
    employees: 69,
    share: 0.025,
    min: 50,
  },
  {
    code: '651',
    label: 'Firms with 100 to 249 employees',
    employees: 152,
    share: 0.012,
    min: 100,
  },
  {
    code: '652',
    label: 'Firms with 250 to 499 employees',
    employees: 345,
    share: 0.004,
    min: 250,
  },
  {
    code: '657',
    label: 'Firms with 500 employees or more',
    employees: 2600,
    share: 0.002,
    min: 500,
  },
];

/** Industry levels by NAICS code: employer units nationally, receipts and payroll per employee (dollars). */
const INDUSTRIES: Readonly<
  Record<string, { units: number; receipts: number; payroll: number }>
> = {
  '44-45': { units: 650_000, receipts: 340_000, payroll: 36_000 },
  '722': { units: 560_000, receipts: 75_000, payroll: 24_000 },
  '72': { units: 640_000, receipts: 90_000, payroll: 27_000 },
  '54': { units: 800_000, receipts: 230_000, payroll: 98_000 },
  '5415': { units: 130_000, receipts: 260_000, payroll: 120_000 },
  '31-33': { units: 240_000, receipts: 560_000, payroll: 68_000 },
  '62': { units: 640_000, receipts: 130_000, payroll: 58_000 },
  '721': { units: 50_000, receipts: 130_000, payroll: 33_000 },
  '23': { units: 690_000, receipts: 370_000, payroll: 72_000 },
  '61': { units: 85_000, receipts: 90_000, payroll: 45_000 },
  '53': { units: 320_000, receipts: 330_000, payroll: 62_000 },
};

/** Whether the stub has data for a NAICS code (others answer 204: a valid query with no rows). */
export function isStubNaics(code: string): boolean {
  return Object.hasOwn(INDUSTRIES, code);
}

const SOUTHWEST = ['05', '22', '40', '48', '04', '35'];

/** The peer group withheld on purpose: every cell of it in every Southwest state. */
export const STUB_WITHHELD = {
  naics: '721',
  minEmployees: 100,
  maxEmployees: 499,
  states: SOUTHWEST,
} as const;

/** FNV-1a of a text, as a fraction in [0, 1). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

/** A figure of one row as the API writes it: the value (a string, "0" when withheld) and its flags. */
export interface StubFigure {
  readonly value: string;
  /** `X_F`: a withholding letter, or null. */
  readonly flag: string | null;
  /** `X_N_F` (CBP from 2018): G, H or J. */
  readonly noise: string | null;
  /** `X_S` (ABS): relative standard error, percent. */
  readonly rse: string | null;
}

/** One row: a geography ("us" or a state FIPS) and size class, with its figures. */
export interface StubRow {
  readonly geo: string;
  readonly sizeCode: string;
  readonly sizeLabel: string;
  readonly units: StubFigure;
  readonly employees: StubFigure;
  /** $1,000. */
  readonly payroll: StubFigure;
  /** $1,000 (ABS only). */
  readonly receipts?: StubFigure;
}

/** The true (unwithheld) figures of a cell, before the API's disclosure rules. */
interface Truth {
  units: number;
  employees: number;
  payroll: number;
  receipts: number;
}

const growth = (year: number) => 1.035 ** (year - 2020);

function stateTruth(
  dataset: StubDataset,
  year: number,
  naics: string,
  state: { fips: string; share: number; wage: number },
  cls: StubClass,
): Truth {
  const industry = INDUSTRIES[naics];
  const key = `${dataset}|${year}|${naics}|${state.fips}|${cls.code}`;
  const jitter = 0.9 + 0.2 * hash(key);
  const units = Math.round(
    industry.units *
      state.share *
      cls.share *
      jitter *
      (dataset === 'cbp' ? 1.15 : 1),
  );
  const employees = Math.round(
    units * cls.employees * (0.95 + 0.1 * hash(`${key}|e`)),
  );
  // Bigger units pay and sell a little more per employee; states differ by their pay level.
  const sizeFactor = 0.85 + 0.06 * Math.log10(1 + cls.employees);
  const perEmployee = (base: number, salt: string) =>
    base *
    growth(year) *
    state.wage *
    sizeFactor *
    (0.96 + 0.08 * hash(`${key}|${salt}`));
  // Firms with no employees in mid-March still had payroll and receipts during the year.
  const staff = employees === 0 ? units * 0.8 : employees;
  return {
    units,
    employees,
    payroll: Math.round((staff * perEmployee(industry.payroll, 'p')) / 1000),
    receipts: Math.round((staff * perEmployee(industry.receipts, 'r')) / 1000),
  };
}

const PUERTO_RICO_STATE = { fips: PUERTO_RICO, share: 0.01, wage: 0.6 };

function sum(truths: readonly Truth[]): Truth {
  return truths.reduce(
    (s, t) => ({
      units: s.units + t.units,
      employees: s.employees + t.employees,
      payroll: s.payroll + t.payroll,
      receipts: s.receipts + t.receipts,
    }),
    { units: 0, employees: 0, payroll: 0, receipts: 0 },
  );
}

function scaled(t: Truth, by: number): Truth {
  return {
    units: Math.round(t.units * by),
    employees: Math.round(t.employees * by),
    payroll: Math.round(t.payroll * by),
    receipts: Math.round(t.receipts * by),
  };
}

const published = (
  value: number,
  noise: string | null = null,
  rse: string | null = null,
): StubFigure => ({
  value: String(value),
  flag: null,
  noise,
  rse,
});
const withheld = (flag: string): StubFigure => ({
  value: '0',
  flag,
  noise: null,
  rse: null,
});

function isWithheldOnPurpose(
  naics: string,
  geo: string,
  cls: StubClass,
): boolean {
  return (
    naics === STUB_WITHHELD.naics &&
    (STUB_WITHHELD.states as readonly string[]).includes(geo) &&
    cls.min >= STUB_WITHHELD.minEmployees &&
    cls.min <= STUB_WITHHELD.maxEmployees
  );
}

/** The rows of one CBP answer (LFO 001), before the API's column layout. */
function cbpRows(year: number, naics: string, geo: 'state' | 'us'): StubRow[] {
  const states =
    geo === 'state' ? [...STUB_STATES, PUERTO_RICO_STATE] : STUB_STATES;
  const rows: StubRow[] = [];
  const byClass = new Map<string, Truth[]>();
  const totals: Truth[] = [];
  for (const state of states) {
    const truths = CBP_CLASSES.map((cls) =>
      stateTruth('cbp', year, naics, state, cls),
    );
    if (state.fips !== PUERTO_RICO) {
      CBP_CLASSES.forEach((cls, i) =>
        byClass.set(cls.code, [...(byClass.get(cls.code) ?? []), truths[i]]),
      );
      totals.push(sum(truths));
    }
    if (geo !== 'state') continue;
    const total = sum(truths);
    rows.push(
      cbpRow(
        year,
        naics,
        state.fips,
        '001',
        'All establishments',
        total,
        false,
      ),
    );
    CBP_CLASSES.forEach((cls, i) => {
      const t = truths[i];
      // Fewer than 3 establishments (or withheld on purpose): no row at all.
      if (t.units < 3 || isWithheldOnPurpose(naics, state.fips, cls)) return;
      rows.push(
        cbpRow(
          year,
          naics,
          state.fips,
          cls.code,
          cls.label,
          t,
          isFlagged2017(year, naics, state.fips, cls),
        ),
      );
    });
  }
  if (geo === 'us') {
    const unallocated = 1.004;
    rows.push(
      cbpRow(
        year,
        naics,
        'us',
        '001',
        'All establishments',
        scaled(sum(totals), unallocated),
        false,
      ),
    );
    for (const cls of CBP_CLASSES)
      rows.push(
        cbpRow(
          year,
          naics,
          'us',
          cls.code,
          cls.label,
          scaled(sum(byClass.get(cls.code)!), unallocated),
          false,
        ),
      );
  }
  return rows;
}

/** CBP 2017: small cells of small states withhold employment behind an EMPFLAG range letter. */
function isFlagged2017(
  year: number,
  naics: string,
  geo: string,
  cls: StubClass,
): boolean {
  return year === 2017 && hash(`2017|${naics}|${geo}|${cls.code}|flag`) < 0.04;
}

function cbpRow(
  year: number,
  naics: string,
  geo: string,
  code: string,
  label: string,
  t: Truth,
  employmentWithheld: boolean,
): StubRow {
  const noise = (salt: string) => {
    if (year < 2018) return null;
    const h = hash(`${year}|${naics}|${geo}|${code}|${salt}`);
    return h < 0.6 ? 'G' : h < 0.9 ? 'H' : 'J';
  };
  return {
    geo,
    sizeCode: code,
    sizeLabel: label,
    units: published(t.units),
    employees: employmentWithheld
      ? withheld(t.employees < 20 ? 'a' : 'b')
      : published(t.employees, noise('e')),
    payroll: published(t.payroll, noise('p')),
  };
}

/** The rows of one ABS answer (every owner group and other size table pinned to its total). */
function absRows(year: number, naics: string, geo: 'state' | 'us'): StubRow[] {
  const states =
    geo === 'state' ? [...STUB_STATES, PUERTO_RICO_STATE] : STUB_STATES;
  const rows: StubRow[] = [];
  const byClass = new Map<string, Truth[]>();
  const totals: Truth[] = [];
  const under500 = ABS_CLASSES.filter((c) => c.min < 500);
  for (const state of states) {
    const truths = ABS_CLASSES.map((cls) =>
      stateTruth('abscs', year, naics, state, cls),
    );
    if (state.fips !== PUERTO_RICO) {
      ABS_CLASSES.forEach((cls, i) =>
        byClass.set(cls.code, [...(byClass.get(cls.code) ?? []), truths[i]]),
      );
      totals.push(sum(truths));
    }
    if (geo !== 'state') continue;
    rows.push(
      absRow(year, naics, state.fips, '001', 'All firms', sum(truths), 'never'),
    );
    ABS_CLASSES.forEach((cls, i) =>
      rows.push(
        absRow(
          year,
          naics,
          state.fips,
          cls.code,
          cls.label,
          truths[i],
          isWithheldOnPurpose(naics, state.fips, cls) ? 'all' : 'by-size',
        ),
      ),
    );
    rows.push(
      absRow(
        year,
        naics,
        state.fips,
        '655',
        'Firms with less than 500 employees',
        sum(truths.filter((_t, i) => under500.includes(ABS_CLASSES[i]))),
        'never',
      ),
    );
  }
  if (geo === 'us') {
    const unallocated = 1.004;
    rows.push(
      absRow(
        year,
        naics,
        'us',
        '001',
        'All firms',
        scaled(sum(totals), unallocated),
        'never',
      ),
    );
    for (const cls of ABS_CLASSES)
      rows.push(
        absRow(
          year,
          naics,
          'us',
          cls.code,
          cls.label,
          scaled(sum(byClass.get(cls.code)!), unallocated),
          'never',
        ),
      );
  }
  return rows;
}

function absRow(
  year: number,
  naics: string,
  geo: string,
  code: string,
  label: string,
  t: Truth,
  withholding: 'never' | 'by-size' | 'all',
): StubRow {
  const key = `${year}|${naics}|${geo}|${code}`;
  // Small cells are noisy estimates: the fewer firms, the larger the relative standard error.
  const rse = (salt: string) =>
    Math.min(
      80,
      60 / Math.sqrt(Math.max(1, t.units)) + 0.5 + 2 * hash(`${key}|${salt}`),
    ).toFixed(1);
  const figure = (value: number, salt: string): StubFigure => {
    if (withholding === 'all') return withheld('D');
    if (withholding === 'by-size') {
      if (t.units < 3) return withheld('D');
      const h = hash(`${key}|${salt}|w`);
      if (t.units < 40 && h < 0.3) return withheld(h < 0.15 ? 'D' : 'S');
    }
    return published(value, null, rse(salt));
  };
  return {
    geo,
    sizeCode: code,
    sizeLabel: label,
    units: figure(t.units, 'u'),
    employees: figure(t.employees, 'e'),
    payroll: figure(t.payroll, 'p'),
    receipts: figure(t.receipts, 'r'),
  };
}

/**
 * The rows the stub serves for one request, in the order it sends them (not sorted by state: Census does not sort
 * either), or undefined for a NAICS code it has no data for (a 204).
 */
export function stubRows(
  dataset: StubDataset,
  year: number,
  naics: string,
  geo: 'state' | 'us',
): StubRow[] | undefined {
  if (!isStubNaics(naics)) return undefined;
  const rows =
    dataset === 'cbp' ? cbpRows(year, naics, geo) : absRows(year, naics, geo);
  // Unsorted, deterministically: by a hash of each row.
  return rows
    .map((row) => ({ row, order: hash(`${row.geo}|${row.sizeCode}|order`) }))
    .sort((a, b) => a.order - b.order)
    .map((r) => r.row);
}
