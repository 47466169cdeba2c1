import type { Frequency } from './enums';

/**
 * Calendar months as integers (year * 12 + month index), always in UTC, so month arithmetic is exact and
 * independent of the server's time zone. A month is written on the wire as its first day, `YYYY-MM-01`.
 */
export type Month = number;

/** The earliest month the service answers for. */
export const EARLIEST_MONTH: Month = monthOf(2000, 1);

/** The longest range one request may ask for, in months (inclusive count). */
export const MAX_RANGE_MONTHS = 120;

/** Month from a year and a 1-based month number. */
export function monthOf(year: number, month1: number): Month {
  return year * 12 + (month1 - 1);
}

export function yearOfMonth(month: Month): number {
  return Math.floor(month / 12);
}

/** 1-based month of the year (1 = January). */
export function monthOfYear(month: Month): number {
  return (month % 12) + 1;
}

/** The month a `YYYY-MM-DD` date falls in. The string must already be a valid calendar date. */
export function monthFromIsoDate(isoDate: string): Month {
  const year = Number(isoDate.slice(0, 4));
  const month1 = Number(isoDate.slice(5, 7));
  return monthOf(year, month1);
}

/** `YYYY-MM-01`, the first day of the month, as the API writes periods. */
export function monthToIsoDate(month: Month): string {
  const year = String(yearOfMonth(month)).padStart(4, '0');
  const month1 = String(monthOfYear(month)).padStart(2, '0');
  return `${year}-${month1}-01`;
}

/** The last month that has ended at `now` (UTC): in any day of March, February. */
export function lastCompleteMonth(now: Date): Month {
  return monthOf(now.getUTCFullYear(), now.getUTCMonth() + 1) - 1;
}

/**
 * The first months of every period of `frequency` that overlaps `start`..`end` (inclusive), oldest first:
 * every month; the quarters' first months (January, April, July, October); or the years' Januaries.
 */
export function periodStarts(
  frequency: Frequency,
  start: Month,
  end: Month,
): Month[] {
  const step = frequency === 'annual' ? 12 : frequency === 'quarterly' ? 3 : 1;
  const first = start - ((start % 12) % step);
  const months: Month[] = [];
  for (let m = first; m <= end; m += step) months.push(m);
  return months;
}

/** The last month of the period that starts at `month`. */
export function periodEnd(frequency: Frequency, month: Month): Month {
  return (
    month + (frequency === 'annual' ? 11 : frequency === 'quarterly' ? 2 : 0)
  );
}

/** Every month from `start` to `end`, both included, oldest first. */
export function monthsBetween(start: Month, end: Month): Month[] {
  const months: Month[] = [];
  for (let m = start; m <= end; m++) months.push(m);
  return months;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A period as people write it: "December 2024", "Q3 2024" or "2024", by the frequency of the period. */
export function periodLabel(month: Month, frequency: Frequency): string {
  const year = yearOfMonth(month);
  if (frequency === 'annual') return String(year);
  if (frequency === 'quarterly')
    return `Q${Math.floor((monthOfYear(month) - 1) / 3) + 1} ${year}`;
  return `${MONTH_NAMES[monthOfYear(month) - 1]} ${year}`;
}
