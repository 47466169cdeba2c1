import type { CensusCell, CensusTable } from './census-response';

/**
 * Everything about the two Census datasets the service reads, in one place (../shared/reference/census-api.md §2, §3,
 * §5): which variables to ask for, which predicates pin the totals, which NAICS variable a year uses, the NAICS code
 * of each industry, and how a size class's label maps to a range of employees.
 */

/** The datasets: the Annual Business Survey company summary (firms) and County Business Patterns (establishments). */
export const CENSUS_DATASETS = ['abscs', 'cbp'] as const;
export type CensusDataset = (typeof CENSUS_DATASETS)[number];

/** The first data year served: both datasets' 2017 vintages (ABS starts there; CBP's size classes changed there). */
export const CENSUS_FIRST_YEAR = 2017;

/** The geographies asked for: every state in one request, and the nation's own row (never a sum of states). */
export const CENSUS_GEOS = ['state', 'us'] as const;
export type CensusGeo = (typeof CENSUS_GEOS)[number];

export const GEO_PREDICATE: Readonly<Record<CensusGeo, string>> = {
  state: 'state:*',
  us: 'us:1',
};

/** What one request asks for: the variables of `get=` (optional ones may be dropped on an `unknown variable`). */
export interface DatasetRequest {
  readonly dataset: CensusDataset;
  readonly year: number;
  readonly naics: string;
  readonly geo: CensusGeo;
}

interface DatasetSpec {
  /** Variables without which the answer is useless. */
  readonly required: readonly string[];
  /** Flags, noise flags and standard errors: asked for, and dropped for a vintage that does not know them. */
  readonly optional: readonly string[];
  /** Predicates that pin every other dimension to its total, so rows never double-count. */
  readonly pins: ReadonlyArray<readonly [string, string]>;
  /** The size-class variable and its label. */
  readonly size: string;
  /** The NAICS variable(s) a year may use, most likely first (see {@link naicsVariables}). */
  naicsVariables(year: number): readonly string[];
  /** Who publishes it, as sentences and metadata name it. */
  readonly program: string;
  /** What its sample size counts. */
  readonly unit: 'firms' | 'establishments';
}

export const DATASETS: Readonly<Record<CensusDataset, DatasetSpec>> = {
  abscs: {
    required: [
      'FIRMPDEMP',
      'RCPPDEMP',
      'EMP',
      'PAYANN',
      'EMPSZFI',
      'EMPSZFI_LABEL',
    ],
    optional: [
      'FIRMPDEMP_F',
      'RCPPDEMP_F',
      'EMP_F',
      'PAYANN_F',
      'RCPPDEMP_S',
      'EMP_S',
      'PAYANN_S',
    ],
    // The company summary stacks several size tables and every owner group: pin all but firm size to "total".
    pins: [
      ['SEX', '001'],
      ['ETH_GROUP', '001'],
      ['RACE_GROUP', '00'],
      ['VET_GROUP', '001'],
      ['RCPSZFI', '001'],
      ['YIBSZFI', '001'],
      ['URSZFI', '001'],
    ],
    size: 'EMPSZFI',
    // NAICS 2017 codes up to the 2021 vintage, NAICS 2022 from 2022 (the codes used here are the same in both).
    naicsVariables: (year) => (year <= 2021 ? ['NAICS2017'] : ['NAICS2022']),
    program: 'Census Annual Business Survey',
    unit: 'firms',
  },
  cbp: {
    required: ['ESTAB', 'EMP', 'PAYANN', 'EMPSZES', 'EMPSZES_LABEL'],
    optional: ['EMP_F', 'EMP_N_F', 'PAYANN_F', 'PAYANN_N_F'],
    pins: [['LFO', '001']],
    size: 'EMPSZES',
    // CBP 2017-2023 use NAICS2017; whether a later vintage switches to NAICS2022 is not known yet: both are tried.
    naicsVariables: (year) =>
      year <= 2023 ? ['NAICS2017'] : ['NAICS2017', 'NAICS2022'],
    program: 'Census County Business Patterns',
    unit: 'establishments',
  },
};

/** The query string of a request, without the key (the client adds it last and never logs it). */
export function requestQuery(
  request: DatasetRequest,
  naicsVariable: string,
  dropped: ReadonlySet<string> = new Set(),
): string {
  const spec = DATASETS[request.dataset];
  const get = [...spec.required, ...spec.optional].filter(
    (v) => !dropped.has(v),
  );
  const params = [
    `get=${get.join(',')}`,
    `for=${GEO_PREDICATE[request.geo]}`,
    `${naicsVariable}=${encodeURIComponent(request.naics)}`,
    ...spec.pins.map(([k, v]) => `${k}=${v}`),
  ];
  return params.join('&');
}

/**
 * The NAICS code Census is asked for, per industry: the same codes in NAICS 2017 and 2022. Where a code finer than a
 * sector may not be published at state level, `sector` is asked for instead when the finer code has no rows.
 */
export const CENSUS_NAICS: Readonly<
  Record<string, { readonly code: string; readonly sector?: string }>
> = {
  retail: { code: '44-45' },
  restaurant: { code: '722', sector: '72' },
  professional_services: { code: '54' },
  manufacturing: { code: '31-33' },
  healthcare: { code: '62' },
  technology: { code: '5415', sector: '54' },
  hospitality: { code: '721', sector: '72' },
  construction: { code: '23' },
  education: { code: '61' },
  real_estate: { code: '53' },
};

/** A size class as its label says: a range of employees, or the total of all sizes. */
export interface SizeClass {
  readonly code: string;
  readonly label: string;
  /** Employees, inclusive; `max` is {@link OR_MORE} for "or more" (JSON has no Infinity). */
  readonly min: number;
  readonly max: number;
  readonly total: boolean;
}

const count = (text: string) => Number(text.replace(/,/g, ''));

/** The `max` of an open class ("1,000 employees or more") and of the all-sizes total. */
export const OR_MORE = Number.MAX_SAFE_INTEGER;

/**
 * The employees a size class's label describes ("Firms with 20 to 49 employees", "Establishments with less than 5
 * employees", "... with 1,000 employees or more", "Firms with no employees", "All firms"), or undefined for a label of
 * another form. Labels, not codes, are the truth: codes change between vintages, and the ABS ones are unconfirmed.
 */
export function sizeClassOf(
  code: string,
  label: string,
): SizeClass | undefined {
  const text = label.trim();
  if (/^all\b/i.test(text))
    return { code, label, min: 0, max: OR_MORE, total: true };
  if (/\bno (paid )?employees\b/i.test(text))
    return { code, label, min: 0, max: 0, total: false };
  let m = /\bwith ([\d,]+) to ([\d,]+) employees\b/i.exec(text);
  if (m)
    return { code, label, min: count(m[1]), max: count(m[2]), total: false };
  m = /\bless than ([\d,]+) employees\b/i.exec(text);
  if (m) return { code, label, min: 0, max: count(m[1]) - 1, total: false };
  m = /\bwith ([\d,]+) employees or more\b/i.exec(text);
  if (m) return { code, label, min: count(m[1]), max: OR_MORE, total: false };
  return undefined;
}

/**
 * Whether a class lies within a company size's employee range. The smallest band also takes a class starting at 0
 * when it reaches 1 employee (CBP's "less than 5", which counts establishments with no mid-March employee), but
 * never a class of no employees only (ABS's 611: payroll and receipts without employees would inflate the ratios).
 */
export function inBand(
  size: SizeClass,
  band: { readonly min: number; readonly max: number },
): boolean {
  if (size.total || size.max > band.max) return false;
  return (
    size.min >= band.min || (band.min === 1 && size.min === 0 && size.max >= 1)
  );
}

/**
 * The labels of the size codes data rows use (census-api.md §2.3, §3.4), for an answer without the label column.
 * The label in an answer always wins: codes change between vintages, and the ABS 641-652 codes are unconfirmed.
 */
export const KNOWN_SIZE_LABELS: Readonly<
  Record<CensusDataset, Readonly<Record<string, string>>>
> = {
  cbp: {
    '001': 'All establishments',
    '210': 'Establishments with less than 5 employees',
    '220': 'Establishments with 5 to 9 employees',
    '230': 'Establishments with 10 to 19 employees',
    '241': 'Establishments with 20 to 49 employees',
    '242': 'Establishments with 50 to 99 employees',
    '251': 'Establishments with 100 to 249 employees',
    '252': 'Establishments with 250 to 499 employees',
    '254': 'Establishments with 500 to 999 employees',
    '260': 'Establishments with 1,000 employees or more',
  },
  abscs: {
    '001': 'All firms',
    '611': 'Firms with no employees',
    '612': 'Firms with 1 to 4 employees',
    '620': 'Firms with 5 to 9 employees',
    '630': 'Firms with 10 to 19 employees',
    '641': 'Firms with 20 to 49 employees',
    '642': 'Firms with 50 to 99 employees',
    '651': 'Firms with 100 to 249 employees',
    '652': 'Firms with 250 to 499 employees',
    '655': 'Firms with less than 500 employees',
    '657': 'Firms with 500 employees or more',
  },
};

/** One published figure: its value, or null when withheld or unavailable, with its flags. */
export interface Measure {
  readonly value: number | null;
  /** The value's own flag (`X_F`): a withholding letter when `value` is null, else a note on a published value. */
  readonly flag: string | null;
  /** CBP's noise flag (`X_N_F`): G low, H medium, J high (5% or more). */
  readonly noise: string | null;
  /** ABS's relative standard error, in percent (`X_S`). */
  readonly rse: number | null;
}

/** One row of an answer, read by column name: a geography and size class, and its figures. */
export interface CensusRecord {
  /** `us`, or the state's FIPS code. */
  readonly geo: string;
  readonly size: SizeClass;
  /** Firms (ABS) or establishments (CBP). */
  readonly units: Measure;
  readonly employees: Measure;
  /** Annual payroll, $1,000. */
  readonly payroll: Measure;
  /** Receipts, $1,000 (ABS only). */
  readonly receipts?: Measure;
}

/** A row the reader could not use, and why (an unknown size label, a duplicate): reported, never guessed. */
export interface SkippedRow {
  readonly geo: string;
  readonly reason: string;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

function measure(
  table: CensusTable,
  row: readonly CensusCell[],
  variable: string,
  noiseVariable?: string,
): Measure {
  const raw = table.cell(row, variable);
  const flag = emptyToNull(table.cell(row, `${variable}_F`));
  const noise = noiseVariable
    ? emptyToNull(table.cell(row, noiseVariable))
    : null;
  const rseText = emptyToNull(table.cell(row, `${variable}_S`));
  const rse = rseText !== null && NUMBER.test(rseText) ? Number(rseText) : null;
  const published =
    raw !== null && raw !== undefined && NUMBER.test(raw.trim());
  const value = published ? Number(raw.trim()) : null;
  // A withheld cell comes back as "0" with a letter in its flag: never a zero. Without the flag column (a vintage that
  // did not know it), a "0" cannot be told from a withheld cell: unknown, never a zero either.
  const withheld =
    value === null ||
    (value === 0 && (flag !== null || !table.has(`${variable}_F`)));
  return { value: withheld ? null : value, flag, noise, rse };
}

function emptyToNull(cell: CensusCell | undefined): string | null {
  return cell === undefined || cell === null || cell.trim() === ''
    ? null
    : cell.trim();
}

/**
 * The records of an answer: one per (geography, size class), read by column name whatever the column order, with
 * Puerto Rico (`72`) left out (no region holds it). Rows whose size label is not understood, or that repeat a
 * (geography, class) already read, are skipped and reported.
 */
export function readRecords(
  dataset: CensusDataset,
  table: CensusTable,
): { records: CensusRecord[]; skipped: SkippedRow[] } {
  const spec = DATASETS[dataset];
  const records: CensusRecord[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Set<string>();
  const geoColumn = table.has('state') ? 'state' : 'us';
  for (const row of table.rows) {
    const geoCell = table.cell(row, geoColumn);
    const geo = geoColumn === 'us' ? 'us' : (geoCell ?? '');
    if (geo === '72') continue;
    const code = table.cell(row, spec.size) ?? '';
    const label =
      table.cell(row, `${spec.size}_LABEL`) ??
      KNOWN_SIZE_LABELS[dataset][code] ??
      '';
    const size = sizeClassOf(code, label);
    if (!size) {
      skipped.push({
        geo,
        reason: `size class ${code} "${label}" not understood`,
      });
      continue;
    }
    const key = `${geo}|${code}`;
    if (seen.has(key)) {
      skipped.push({ geo, reason: `size class ${code} repeated` });
      continue;
    }
    seen.add(key);
    records.push(
      dataset === 'abscs'
        ? {
            geo,
            size,
            units: measure(table, row, 'FIRMPDEMP'),
            // Firms with no employees have none by definition, whatever flag columns the answer has.
            employees:
              size.max === 0
                ? { ...measure(table, row, 'EMP'), value: 0 }
                : measure(table, row, 'EMP'),
            payroll: measure(table, row, 'PAYANN'),
            receipts: measure(table, row, 'RCPPDEMP'),
          }
        : {
            geo,
            size,
            units: measure(table, row, 'ESTAB'),
            employees: measure(table, row, 'EMP', 'EMP_N_F'),
            payroll: measure(table, row, 'PAYANN', 'PAYANN_N_F'),
          },
    );
  }
  return { records, skipped };
}
