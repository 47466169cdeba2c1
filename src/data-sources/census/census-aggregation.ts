import { COMPANY_SIZE_EMPLOYEES, type Region } from '../../domain/enums';
import type { PeerSize } from '../../domain/peer-fallback';
import { REGION_STATES, STATE_FIPS } from '../../domain/us-states';
import { inBand, type CensusRecord, type Measure } from './census-datasets';

/**
 * Census figures of one peer group from the records of one dataset and year, as sums (../shared/reference/
 * census-api.md §5): numerators and denominators summed over the region's states and the company size's classes,
 * then divided; never an average of averages. Pure.
 */

/** Which figures of a record a metric divides. */
export interface CensusFormula {
  readonly numerator: 'receipts' | 'payroll';
  readonly denominator: 'employees' | 'receipts';
  /** Applied to the ratio: 1000 turns $1,000 per employee into dollars; 1 for a ratio of two $1,000 figures. */
  readonly scale: number;
}

/** Below this share of the cell's denominator in usable cells, the figure is not published here: it falls back. */
export const MIN_COVERAGE = 0.8;
/** ABS relative standard error (percent) above which a figure gets a warning, and above which it is not used. */
export const RSE_WARNING = 20;
export const RSE_UNUSABLE = 50;

/** A figure of one cell, from the cells that could be used. */
export interface CellFigure {
  readonly value: number;
  /** Firms or establishments of the cells used; null when one of their counts is withheld. */
  readonly units: number | null;
  /** Share of the cell's denominator the figure covers (a lower bound where classes are missing). */
  readonly coverage: number;
  /** States (or 1 for the nation's row) whose cells were used. */
  readonly areas: number;
  /** Quality flags of the cells used, as warnings name them (empty when none). */
  readonly quality: readonly string[];
}

/** Why a cell has no figure. */
export interface NoFigure {
  readonly reason: string;
}

/**
 * The top of each employment range letter (EMPFLAG, CBP up to 2017: `a` 0-19 ... `m` 100,000 or more), written in
 * `EMP_F` with `EMP` "0" (../shared/reference/census-api.md §2.5).
 */
const EMPLOYMENT_RANGE_TOP: Readonly<Record<string, number>> = {
  a: 19,
  b: 99,
  c: 249,
  e: 499,
  f: 999,
  g: 2_499,
  h: 4_999,
  i: 9_999,
  j: 24_999,
  k: 49_999,
  l: 99_999,
  m: Infinity,
};

const NOISE: Readonly<Record<string, string | null>> = {
  G: null,
  H: null,
  J: 'flag J, high noise: 5% or more noise infused to protect confidentiality',
};

function published(m: Measure | undefined): m is Measure & { value: number } {
  return m !== undefined && m.value !== null;
}

/** The combined relative standard error (percent) of a sum: sqrt(sum((v * rse)^2)) / sum(v), or null without RSEs. */
function combinedRse(measures: readonly Measure[]): number | null {
  const withRse = measures.filter((m) => m.rse !== null && m.value !== null);
  if (withRse.length === 0) return null;
  const total = measures.reduce((s, m) => s + (m.value ?? 0), 0);
  if (total === 0) return null;
  const variance = withRse.reduce((s, m) => s + (m.value! * m.rse!) ** 2, 0);
  return Math.sqrt(variance) / total;
}

/**
 * The figure of a peer group (company size or `all`, region) in one dataset-year, or why there is none:
 * - the nation reads the U.S. rows (which hold cells suppressed at state level), a region its states' rows;
 * - `all` reads the all-sizes rows, a company size the classes within its employee range;
 * - a (state, class) cell counts only when its numerator and denominator are both published (pairwise);
 * - coverage is the used denominator over the used plus what is known or bounded to be missing: a withheld cell's own
 *   denominator when published, else (or for a class absent from a state) what the state's all-sizes total leaves
 *   beyond its published classes. Under {@link MIN_COVERAGE}, or with no usable cell, there is no figure;
 * - ABS estimates whose combined relative standard error passes {@link RSE_UNUSABLE} are not used; over
 *   {@link RSE_WARNING}, and for CBP's high-noise flag J or any flag not known, the figure says so in `quality`.
 */
export function cellFigure(
  stateRecords: readonly CensusRecord[],
  usRecords: readonly CensusRecord[],
  formula: CensusFormula,
  level: { readonly companySize: PeerSize; readonly region: Region },
): CellFigure | NoFigure {
  const national = level.region === 'national';
  const records = national ? usRecords : stateRecords;
  const geos = national
    ? ['us']
    : REGION_STATES[level.region].map((s) => STATE_FIPS[s]);
  const wanted = new Set(geos);
  const inScope = records.filter((r) => wanted.has(r.geo));
  const band =
    level.companySize === 'all'
      ? undefined
      : COMPANY_SIZE_EMPLOYEES[level.companySize];
  const isCell = (r: CensusRecord) =>
    band ? inBand(r.size, band) : r.size.total;
  // The classes of the band anywhere in the answer: one absent from a state is unknown there, never zero.
  const classes = new Set(records.filter(isCell).map((r) => r.size.code));
  if (classes.size === 0)
    return { reason: 'Census publishes no size class within this range' };

  const used: CensusRecord[] = [];
  let usedDenominator = 0;
  let missing = 0;
  for (const geo of geos) {
    const own = inScope.filter((r) => r.geo === geo);
    // A state without a single row has fewer than 3 establishments of the industry (CBP publishes no smaller cell).
    if (own.length === 0) continue;
    // Every size: the all-sizes row less the firms with no employees (ABS 611), as the size bands leave them out.
    const cells = band
      ? own.filter(isCell)
      : own.filter(isCell).map((total) => withoutNoEmployees(total, own));
    let unknown = cells.length < classes.size;
    for (const cell of cells) {
      const num = cell[formula.numerator];
      const den = cell[formula.denominator];
      if (published(num) && published(den) && den.value > 0) {
        used.push(cell);
        usedDenominator += den.value;
      } else if (published(den)) missing += den.value;
      else unknown = true;
    }
    if (unknown) missing += unaccounted(own, formula.denominator);
  }
  if (used.length === 0)
    return { reason: 'Census withholds or does not publish every cell of it' };
  const coverage = usedDenominator / (usedDenominator + missing);
  if (coverage < MIN_COVERAGE)
    return {
      reason: `Census publishes only ${Math.floor(coverage * 100)}% of it (under ${MIN_COVERAGE * 100}%)`,
    };

  const numerators = used.map((r) => r[formula.numerator]!);
  const denominators = used.map((r) => r[formula.denominator]!);
  const numeratorSum = numerators.reduce((s, m) => s + m.value!, 0);
  const quality = new Set<string>();
  for (const m of [...numerators, ...denominators]) {
    if (m.noise !== null) {
      const text =
        m.noise in NOISE
          ? NOISE[m.noise]
          : `flag ${m.noise}, a noise flag not documented here`;
      if (text) quality.add(text);
    }
  }
  for (const m of [...numerators, ...denominators])
    if (m.flag !== null)
      quality.add(`flag ${m.flag} on a published value, not documented here`);
  const rse = Math.max(
    combinedRse(numerators) ?? 0,
    combinedRse(denominators) ?? 0,
  );
  if (rse > RSE_UNUSABLE)
    return {
      reason: `its relative standard error is ${Math.round(rse)}% (over ${RSE_UNUSABLE}%)`,
    };
  if (rse > RSE_WARNING)
    quality.add(
      `relative standard error about ${Math.round(rse)}% (over ${RSE_WARNING}%): a rough estimate`,
    );
  const units = used.every((r) => published(r.units))
    ? used.reduce((s, r) => s + r.units.value!, 0)
    : null;
  return {
    value: (numeratorSum / usedDenominator) * formula.scale,
    units,
    coverage,
    areas: new Set(used.map((r) => r.geo)).size,
    quality: [...quality],
  };
}

/** `a` less `b`: unknown (null, with b's flag) when `b` is withheld; b absent or zero leaves `a` as it is. */
function less(a: Measure, b: Measure | undefined): Measure {
  if (b === undefined || b.value === 0) return a;
  if (a.value === null) return a;
  if (b.value === null) return { ...a, value: null, flag: b.flag ?? 'D' };
  return { ...a, value: a.value - b.value };
}

/**
 * The all-sizes row of a geography without its class of firms with no employees (ABS 611: payroll and receipts
 * without employees in March), when the answer has one; else the row itself (CBP's smallest class includes such
 * establishments and so do its bands).
 */
function withoutNoEmployees(
  total: CensusRecord,
  own: readonly CensusRecord[],
): CensusRecord {
  const none = own.find((r) => !r.size.total && r.size.max === 0);
  if (!none) return total;
  return {
    ...total,
    units: less(total.units, none.units),
    employees: less(total.employees, none.employees),
    payroll: less(total.payroll, none.payroll),
    ...(total.receipts
      ? { receipts: less(total.receipts, none.receipts) }
      : {}),
  };
}

/**
 * What a geography's all-sizes total of a figure leaves beyond its published classes (an upper bound of what its
 * unknown classes hold): 0 when nothing is left, the whole total when the classes say nothing; Infinity when the
 * total itself is not published (nothing bounds the unknown).
 */
function unaccounted(
  own: readonly CensusRecord[],
  figure: CensusFormula['denominator'],
): number {
  // Bins only: a class that spans others ("less than 500 employees") would count them twice.
  const classes = own.filter((r) => !r.size.total);
  const bins = classes.filter(
    (r) =>
      !classes.some(
        (o) =>
          o !== r &&
          o.size.min >= r.size.min &&
          o.size.max <= r.size.max &&
          (o.size.min !== r.size.min || o.size.max !== r.size.max),
      ),
  );
  const accounted = bins.reduce(
    (s, r) => s + (published(r[figure]) ? r[figure].value : 0),
    0,
  );
  const total = own.find((r) => r.size.total)?.[figure];
  if (published(total)) return Math.max(0, total.value - accounted);
  // CBP up to 2017 withholds employment behind a range letter: the top of its range bounds the total.
  const top =
    figure === 'employees' && total?.flag
      ? EMPLOYMENT_RANGE_TOP[total.flag]
      : undefined;
  return top === undefined ? Infinity : Math.max(0, top - accounted);
}

/** Whether {@link cellFigure} found a figure. */
export function isFigure(result: CellFigure | NoFigure): result is CellFigure {
  return 'value' in result;
}
