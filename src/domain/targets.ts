import type { Percentiles } from './benchmark';
import type { Direction, Unit } from './enums';
import { formatValue, withoutFloatNoise } from './format';
import { valueAtRank } from './percentile-rank';

/** The performance percentiles a business is shown the way to: the median, the top quartile, the top tenth. */
export const TARGET_PERCENTILES = [50, 75, 90] as const;
export type TargetPercentile = (typeof TARGET_PERCENTILES)[number];

/** Where a business would stand at a performance percentile, and how far its value is from it. */
export interface Target {
  readonly percentile: TargetPercentile;
  /** The metric value at which the business would reach `percentile` (performance, so higher is better). */
  readonly value: number;
  /** `value - userValue`, in the metric's unit: positive means "raise it", negative "lower it". */
  readonly change: number;
  /** Whether the business is already at or past this target. */
  readonly reached: boolean;
}

/**
 * The values at which the business would reach the 50th, 75th and 90th performance percentile, from the published
 * percentiles: for a higher-is-better metric the value at that rank, for a lower-is-better one the value at rank
 * 100 - percentile (the top quartile of a cost is its 25th percentile). `change` is `value - userValue`, free of
 * floating-point noise but not rounded.
 */
export function targetsFor(
  userValue: number,
  percentiles: Percentiles,
  direction: Direction,
): Target[] {
  const lower = direction === 'lower_is_better';
  return TARGET_PERCENTILES.map((percentile) => {
    const value = valueAtRank(
      lower ? 100 - percentile : percentile,
      percentiles,
    );
    return {
      percentile,
      value,
      change: withoutFloatNoise(value - userValue),
      reached: lower ? userValue <= value : userValue >= value,
    };
  });
}

const TARGET_NAMES: Record<TargetPercentile, string> = {
  50: 'the median',
  75: 'the top quartile',
  90: 'the top tenth',
};

/** "the top quartile" for 75, and so on. */
export function targetName(percentile: TargetPercentile): string {
  return TARGET_NAMES[percentile];
}

/** The first target the business has not reached yet (the nearest above it), or undefined when all are reached. */
export function nextTarget(targets: readonly Target[]): Target | undefined {
  return targets.find((t) => !t.reached);
}

/**
 * A change in a metric's unit, signed, as a person reads it: "+$14,200", "-$12.40", "+2.3 percentage points",
 * "+1.2 turns a year", "-4.5 days".
 */
export function formatChange(change: number, unit: Unit): string {
  const sign = change < 0 ? '-' : '+';
  if (unit === 'fraction') {
    return `${sign}${(Math.abs(change) * 100).toFixed(1)} percentage points`;
  }
  return `${sign}${formatValue(Math.abs(change), unit)}`;
}

/**
 * One sentence about the nearest target above the business, in the metric's unit: "+$14,200 revenue per employee
 * to reach the top quartile (the 75th percentile, $194,200)."; or that the top tenth is already reached.
 */
export function describeNextTarget(
  targets: readonly Target[],
  unit: Unit,
  metricLabel: string,
): string {
  const next = nextTarget(targets);
  if (!next) {
    return `You are already in ${targetName(90)} of your peers.`;
  }
  const label = metricLabel.toLowerCase();
  const amount = formatChange(next.change, unit);
  const what = unit === 'usd' ? `${amount} ${label}` : `${amount} of ${label}`;
  return (
    `Next target: ${what} to reach ${targetName(next.percentile)} ` +
    `(the ${next.percentile}th percentile of performance, ${formatValue(next.value, unit)}).`
  );
}
