import type { Direction, Interpretation } from './enums';

/**
 * The business's standing among peers, 0..100, where higher always means better: the percentile rank itself for
 * higher-is-better metrics, `100 - rank` for lower-is-better ones.
 */
export function performancePercentile(
  rank: number,
  direction: Direction,
): number {
  return direction === 'lower_is_better'
    ? Math.round((100 - rank) * 10) / 10
    : rank;
}

/** Band of a performance percentile: >= 90, >= 75, >= 25, >= 10, else the bottom band. */
export function interpret(performance: number): Interpretation {
  if (performance >= 90) return 'significantly_above';
  if (performance >= 75) return 'above_average';
  if (performance >= 25) return 'average';
  if (performance >= 10) return 'below_average';
  return 'significantly_below';
}
