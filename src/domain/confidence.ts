import type { Percentiles } from './benchmark';

/** How far a comparison can be trusted. */
export const CONFIDENCE_LEVELS = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

/** Samples of at least this many businesses give `high` confidence, at least {@link MEDIUM_SAMPLE} `medium`. */
export const HIGH_SAMPLE = 100;
export const MEDIUM_SAMPLE = 30;

/**
 * The middle half of peers is "too wide" when p75 / p25 exceeds this factor (or p25 and p75 straddle zero): the
 * peers are then so unlike each other that a standing among them says less.
 */
export const WIDE_SPREAD_FACTOR = 4;

/** z of the two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * Quartile coefficient of dispersion, (p75 - p25) / (|p75| + |p25|): 0 when the middle half is a point, 1 when it
 * straddles zero. Scale-free, so dollars, days and rates compare.
 */
export function quartileDispersion(percentiles: Percentiles): number {
  const denominator = Math.abs(percentiles.p75) + Math.abs(percentiles.p25);
  if (denominator === 0) return 0;
  return (percentiles.p75 - percentiles.p25) / denominator;
}

/** Whether the middle half of peers spans more than {@link WIDE_SPREAD_FACTOR} (or crosses zero). */
export function isWideSpread(percentiles: Percentiles): boolean {
  const limit = (WIDE_SPREAD_FACTOR - 1) / (WIDE_SPREAD_FACTOR + 1);
  return quartileDispersion(percentiles) > limit;
}

/**
 * Confidence in a percentile rank. From the sample: `high` with at least {@link HIGH_SAMPLE} businesses or a whole
 * population (sample size null, as BLS counts), `medium` with at least {@link MEDIUM_SAMPLE}, else `low`; one level
 * lower when the spread between percentiles is wide ({@link isWideSpread}). Without percentiles (a mean only) there
 * is no distribution to place the business in: `low`.
 */
export function confidenceOf(
  sampleSize: number | null,
  percentiles: Percentiles | null,
): Confidence {
  if (!percentiles) return 'low';
  const bySample =
    sampleSize === null || sampleSize >= HIGH_SAMPLE
      ? 0
      : sampleSize >= MEDIUM_SAMPLE
        ? 1
        : 2;
  const level = Math.min(2, bySample + (isWideSpread(percentiles) ? 1 : 0));
  return CONFIDENCE_LEVELS[level];
}

/**
 * A plausible range for a percentile rank (0..100) estimated from `sampleSize` businesses: the 95% Wilson score
 * interval of the share of peers below the value, widened outwards to one decimal and always containing `rank`.
 * It reflects sampling only (not the interpolation between published percentiles). A whole population (sample size
 * null) gives `[rank, rank]`.
 */
export function rankInterval(
  rank: number,
  sampleSize: number | null,
): [number, number] {
  if (sampleSize === null || sampleSize <= 0) return [rank, rank];
  const q = rank / 100;
  const n = sampleSize;
  const z2 = Z95 * Z95;
  const centre = (q + z2 / (2 * n)) / (1 + z2 / n);
  const half =
    (Z95 / (1 + z2 / n)) * Math.sqrt((q * (1 - q)) / n + z2 / (4 * n * n));
  const low = Math.floor((centre - half) * 1000) / 10;
  const high = Math.ceil((centre + half) * 1000) / 10;
  return [
    Math.max(0, Math.min(low, rank)),
    Math.min(100, Math.max(high, rank)),
  ];
}
