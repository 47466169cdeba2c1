import type { BlsObservation } from './bls-response';

/** One area's QCEW series for an industry: monthly employment and quarterly total wages (thousands of dollars). */
export interface AreaSeries {
  readonly area: string;
  readonly employment: readonly BlsObservation[];
  readonly wages: readonly BlsObservation[];
}

/** A figure summed over areas, with the areas that had to be left out (suppressed or missing data). */
export interface Aggregate {
  readonly value: number;
  readonly areas: number;
  readonly excluded: readonly string[];
}

function valueAt(
  observations: readonly BlsObservation[],
  year: number,
  period: string,
): number | null {
  return (
    observations.find((o) => o.year === year && o.period === period)?.value ??
    null
  );
}

/** Mean monthly employment over the given months, or null when any month is missing or suppressed. */
function meanEmployment(
  area: AreaSeries,
  year: number,
  months: readonly number[],
): number | null {
  let sum = 0;
  for (const m of months) {
    const v = valueAt(area.employment, year, `M${String(m).padStart(2, '0')}`);
    if (v === null) return null;
    sum += v;
  }
  return sum / months.length;
}

/** Total wages in dollars over the given quarters, or null when any quarter is missing or suppressed. */
function totalWages(
  area: AreaSeries,
  year: number,
  quarters: readonly number[],
): number | null {
  let sum = 0;
  for (const q of quarters) {
    const v = valueAt(area.wages, year, `Q0${q}`);
    if (v === null) return null;
    sum += v * 1000;
  }
  return sum;
}

const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const ALL_QUARTERS = [1, 2, 3, 4];

/**
 * Sums numerators and denominators over the areas that have both, and divides once: averages are never averaged.
 * Undefined when no area has the data (not published yet, or all suppressed).
 */
function ratioOfSums(
  areas: readonly AreaSeries[],
  parts: (area: AreaSeries) => [number | null, number | null],
  scale: number,
): Aggregate | undefined {
  let numerator = 0;
  let denominator = 0;
  const excluded: string[] = [];
  let used = 0;
  for (const area of areas) {
    const [n, d] = parts(area);
    if (n === null || d === null || d === 0) {
      excluded.push(area.area);
      continue;
    }
    numerator += n;
    denominator += d;
    used++;
  }
  if (used === 0) return undefined;
  return { value: (numerator / denominator) * scale, areas: used, excluded };
}

/** Average annual pay: the year's total wages over its mean monthly employment, summed over areas. */
export function annualPay(
  areas: readonly AreaSeries[],
  year: number,
): Aggregate | undefined {
  return ratioOfSums(
    areas,
    (a) => [
      totalWages(a, year, ALL_QUARTERS),
      meanEmployment(a, year, ALL_MONTHS),
    ],
    1,
  );
}

/** Average weekly wage of a quarter: its total wages over its mean monthly employment, divided by 13 weeks. */
export function weeklyWage(
  areas: readonly AreaSeries[],
  year: number,
  quarter: number,
): Aggregate | undefined {
  const months = [1, 2, 3].map((i) => (quarter - 1) * 3 + i);
  return ratioOfSums(
    areas,
    (a) => [totalWages(a, year, [quarter]), meanEmployment(a, year, months)],
    1 / 13,
  );
}

/** Year-over-year change of mean employment, over the areas with both years complete. */
export function employmentGrowth(
  areas: readonly AreaSeries[],
  year: number,
): Aggregate | undefined {
  const ratio = ratioOfSums(
    areas,
    (a) => [
      meanEmployment(a, year, ALL_MONTHS),
      meanEmployment(a, year - 1, ALL_MONTHS),
    ],
    1,
  );
  return ratio && { ...ratio, value: ratio.value - 1 };
}
