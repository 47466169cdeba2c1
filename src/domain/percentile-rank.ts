import type { Percentiles } from './benchmark';

const KNOWN_RANKS = [10, 25, 50, 75, 90] as const;

function values(p: Percentiles): number[] {
  return [p.p10, p.p25, p.p50, p.p75, p.p90];
}

/**
 * Linear interpolation (or extrapolation) through (x0, r0) and (x1, r1) at x; the midpoint rank if x0 == x1. Of two
 * finite doubles far apart the difference can overflow to Infinity (and Infinity / Infinity is NaN); the fraction is
 * then taken of halves, which cannot overflow. Halves are not used always: they lose the smallest (subnormal) gaps.
 */
function lineThrough(
  x0: number,
  r0: number,
  x1: number,
  r1: number,
  x: number,
): number {
  if (x1 === x0) return (r0 + r1) / 2;
  const span = x1 - x0;
  const offset = x - x0;
  const fraction =
    Number.isFinite(span) && Number.isFinite(offset)
      ? offset / span
      : (x / 2 - x0 / 2) / (x1 / 2 - x0 / 2);
  return r0 + fraction * (r1 - r0);
}

/**
 * Estimated percentile rank (0..100, one decimal) of `value` within a distribution known by its 10th, 25th, 50th,
 * 75th and 90th percentiles: linear interpolation between the known points; below p10 and above p90 the slope of
 * the neighbouring segment is extended, and the result is clamped to 0..100. The rank is that of the raw value;
 * whether higher is better is not its concern (see `performancePercentile`).
 */
export function percentileRank(
  value: number,
  percentiles: Percentiles,
): number {
  return Math.round(exactPercentileRank(value, percentiles) * 10) / 10;
}

/** {@link percentileRank} before rounding: the interpolated rank, clamped to 0..100. */
export function exactPercentileRank(
  value: number,
  percentiles: Percentiles,
): number {
  const xs = values(percentiles);
  let rank: number;
  if (value <= xs[0]) {
    rank = lineThrough(xs[0], KNOWN_RANKS[0], xs[1], KNOWN_RANKS[1], value);
  } else if (value >= xs[4]) {
    rank = lineThrough(xs[3], KNOWN_RANKS[3], xs[4], KNOWN_RANKS[4], value);
  } else {
    let i = 0;
    while (value > xs[i + 1]) i++;
    rank = lineThrough(
      xs[i],
      KNOWN_RANKS[i],
      xs[i + 1],
      KNOWN_RANKS[i + 1],
      value,
    );
  }
  return Math.min(100, Math.max(0, rank));
}

/**
 * The inverse of {@link percentileRank}: the value whose rank is `rank` (0..100) under the same piecewise-linear
 * model, so the published percentile itself at 10, 25, 50, 75 and 90, and the extended end segments below 10 and
 * above 90. Not rounded.
 */
export function valueAtRank(rank: number, percentiles: Percentiles): number {
  const xs = values(percentiles);
  let i = 0;
  if (rank >= KNOWN_RANKS[4]) i = 3;
  else while (i < 3 && rank > KNOWN_RANKS[i + 1]) i++;
  const known = KNOWN_RANKS.indexOf(rank as (typeof KNOWN_RANKS)[number]);
  if (known >= 0) return xs[known];
  return lineThrough(
    KNOWN_RANKS[i],
    xs[i],
    KNOWN_RANKS[i + 1],
    xs[i + 1],
    rank,
  );
}
