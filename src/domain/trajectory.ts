/**
 * Growth from `first` to `last` as a fraction of the first value's magnitude ((last - first) / |first|, so a margin
 * going from -0.02 to 0.01 grew by 1.5), to four decimals (0.2667 is 26.67%); null when the first value is 0.
 */
export function growth(first: number, last: number): number | null {
  if (first === 0) return null;
  return Math.round(((last - first) / Math.abs(first)) * 10_000) / 10_000;
}

/** Change of a percentile rank from the first period to the last, one decimal; null when either has no rank. */
export function rankChange(
  first: number | null,
  last: number | null,
): number | null {
  if (first === null || last === null) return null;
  return Math.round((last - first) * 10) / 10;
}
