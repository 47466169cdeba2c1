import type { Unit } from './enums';

/** Decimal places each unit is published with (cents, hundredths of a percent, hundredths of a turn, tenths of a day). */
export const UNIT_DECIMALS: Readonly<Record<Unit, number>> = {
  usd: 2,
  fraction: 4,
  turns_per_year: 2,
  days: 1,
};

/** `value` rounded to the precision its unit is published with. */
export function roundToUnit(value: number, unit: Unit): number {
  const factor = 10 ** UNIT_DECIMALS[unit];
  return Math.round(value * factor) / factor;
}

/**
 * Percentiles at their unit's precision kept strictly increasing, as every percentile set must be: a value at or
 * below the one before is raised to it plus one unit of precision (ties from rounding, or from many equal values).
 */
export function strictlyIncreasing(
  values: readonly number[],
  unit: Unit,
): number[] {
  const step = 10 ** -UNIT_DECIMALS[unit];
  const result = [...values];
  for (let i = 1; i < result.length; i++)
    if (result[i] <= result[i - 1])
      result[i] = roundToUnit(result[i - 1] + step, unit);
  return result;
}

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const usdCents = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A metric value as a person reads it: "$182,400", "$41.50", "10.2%", "7.4 turns a year", "38 days". */
export function formatValue(input: number, unit: Unit): string {
  const value = input + 0; // -0 + 0 is 0, so no "-0%"
  switch (unit) {
    case 'usd':
      return Math.abs(value) >= 1000
        ? usd.format(value)
        : usdCents.format(value);
    case 'fraction':
      return `${plain.format(value * 100)}%`;
    case 'turns_per_year':
      return `${plain.format(value)} turns a year`;
    case 'days':
      return `${plain.format(value)} days`;
  }
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count as a person reads it: "4,210". */
export function formatCount(n: number): string {
  return count.format(n);
}

/** "1st", "2nd", "3rd", "11th", "22nd", ... */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

/** Drops binary floating-point noise (0.1 - 0.087 = 0.013000000000000005) without rounding real digits away. */
export function withoutFloatNoise(x: number): number {
  return Number.parseFloat(x.toPrecision(12));
}
