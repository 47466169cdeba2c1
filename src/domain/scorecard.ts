import type { PeerGroup } from './benchmark';
import type { MetricDefinition } from './catalog';
import { describePeers, type Comparison } from './comparison';
import { performancePercentile } from './interpretation';
import type { PeerLevel } from './peer-fallback';
import { formatChange, nextTarget, targetName } from './targets';

/** Who a scorecard's summary speaks to: the owner in plain words, or an advisor in percentiles and peer groups. */
export const AUDIENCES = ['owner', 'advisor'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** At most this many metrics are listed as strongest, and as weakest. */
export const MAX_LISTED = 3;

/** One compared metric, as a scorecard needs it. */
export interface ScorecardItem {
  readonly metric: MetricDefinition;
  readonly comparison: Comparison;
  readonly peerLevel: PeerLevel;
  readonly sampleSize: number | null;
}

export interface Scorecard {
  /** Weighted mean of the scored metrics' performance percentiles, 0..100, one decimal. */
  readonly overallScore: number;
  /** The weight each metric was given: as sent, 1 by default, 0 for a metric without a rank. */
  readonly weights: Readonly<Record<string, number>>;
  /** Metrics at or above the median, best first (at most {@link MAX_LISTED}); only weighted ones. */
  readonly strongest: readonly string[];
  /** Metrics below the median, worst first (at most {@link MAX_LISTED}); only weighted ones. */
  readonly weakest: readonly string[];
  /** Metrics without a percentile rank (a mean only): not scored. */
  readonly unscored: readonly string[];
  readonly summary: string;
}

/** Thrown when no metric can carry the score: every rankable metric has weight 0. */
export class NothingToScoreError extends Error {
  constructor(readonly unscored: readonly string[]) {
    super(
      unscored.length > 0
        ? `weights: no metric with a percentile rank has a weight above 0 (${unscored.join(', ')} ${unscored.length === 1 ? 'has' : 'have'} no percentiles and cannot be scored)`
        : 'weights: at least one metric must have a weight above 0',
    );
    this.name = 'NothingToScoreError';
  }
}

/**
 * Why `weights` is not a valid weights map for these user values: every problem (each naming `weights.<metric>`),
 * or none. Keys must be metrics sent in user_values; values finite numbers >= 0, not all 0.
 */
export function weightsProblems(
  weights: unknown,
  metricNames: readonly string[],
): string[] {
  if (weights === undefined) return [];
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights))
    return [
      'weights must be an object mapping metric names of user_values to numbers >= 0, e.g. {"profit_margin": 2}',
    ];
  const entries = Object.entries(weights);
  const problems: string[] = [];
  for (const [name, w] of entries) {
    const shownName = name.slice(0, 40);
    if (!metricNames.includes(name)) {
      problems.push(
        `weights.${shownName} is not a metric of user_values; weights may name only ${metricNames.join(', ')}`,
      );
    } else if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      const shown =
        typeof w === 'number' ? String(w) : w === null ? 'null' : typeof w;
      problems.push(
        `weights.${shownName} must be a finite number >= 0 (got ${shown})`,
      );
    }
  }
  if (problems.length > 0) return problems;
  const given = new Set(entries.map(([name]) => name));
  const anyPositive =
    entries.some(([, w]) => (w as number) > 0) ||
    metricNames.some((name) => !given.has(name));
  return anyPositive
    ? []
    : ['weights must not all be 0: give at least one metric a weight above 0'];
}

/** The performance percentile (higher is better) of a comparison, or undefined without a rank. */
function performanceOf(item: ScorecardItem): number | undefined {
  const rank = item.comparison.percentileRank;
  return rank === null
    ? undefined
    : performancePercentile(rank, item.metric.direction);
}

/**
 * Multiplies `weights` by one power of two, chosen so that the largest comes to about 1 (within a factor of 4).
 * Only the weights' ratios count in a weighted mean, and a power of two changes none of them: the products and sums
 * of the scaled weights are those of the weights as sent, bit for bit, unless those overflowed (weights near 1e308)
 * or lost their precision (subnormal weights). All 0 stays all 0.
 */
function scaledWeights(weights: readonly number[]): number[] {
  const largest = Math.max(0, ...weights);
  if (largest === 0) return weights.map(() => 0);
  const exponent = -Math.floor(Math.log2(largest));
  // In two factors: 2 ** 1074 (for a subnormal largest weight) is itself beyond a double.
  const half = Math.trunc(exponent / 2);
  return weights.map((w) => w * 2 ** half * 2 ** (exponent - half));
}

/**
 * Scores compared metrics: the weighted mean of their performance percentiles (the rank, or 100 - rank for
 * lower-is-better metrics) with weights as sent (1 for metrics not named), metrics without a rank left out (weight
 * 0), and a summary for `audience`. Throws {@link NothingToScoreError} when no rankable metric has a weight.
 *
 * Any finite weights >= 0 give a finite score within 0..100: the mean is computed with the weights scaled by
 * {@link scaledWeights}, which keeps their ratios, so 1e308 and 1e308 score as 1 and 1 do, and ordinary weights
 * score exactly as they did unscaled. The card's `weights` are the weights as sent, not the scaled ones.
 */
export function scorecard(
  items: readonly ScorecardItem[],
  requested: Readonly<Record<string, number>>,
  audience: Audience,
  peers: PeerGroup,
  industryLabel: string,
): Scorecard {
  const scored = items.map((item) => ({
    item,
    performance: performanceOf(item),
    weight:
      performanceOf(item) === undefined
        ? 0
        : Object.hasOwn(requested, item.metric.name)
          ? requested[item.metric.name]
          : 1,
  }));
  const unscored = scored
    .filter((s) => s.performance === undefined)
    .map((s) => s.item.metric.name);
  const scaled = scaledWeights(scored.map((s) => s.weight));
  const total = scaled.reduce((sum, w) => sum + w, 0);
  if (total <= 0) throw new NothingToScoreError(unscored);
  const overallScore =
    Math.round(
      (scored.reduce((sum, s, i) => sum + scaled[i] * (s.performance ?? 0), 0) /
        total) *
        10,
    ) / 10;
  const weighted = scored.filter((s) => s.weight > 0);
  const byPerformance = [...weighted].sort(
    (a, b) => b.performance! - a.performance!,
  );
  const strong = byPerformance.filter((s) => s.performance! >= 50);
  const weak = byPerformance.filter((s) => s.performance! < 50).reverse();
  const strongest = strong.slice(0, MAX_LISTED);
  const weakest = weak.slice(0, MAX_LISTED);
  const weights = Object.fromEntries(
    scored.map((s) => [s.item.metric.name, s.weight]),
  );
  const summary =
    audience === 'advisor'
      ? advisorSummary(
          overallScore,
          weighted,
          strongest,
          weakest,
          unscored,
          peers,
          industryLabel,
          items,
        )
      : ownerSummary(overallScore, strongest, weakest, unscored, items);
  return {
    overallScore,
    weights,
    strongest: strongest.map((s) => s.item.metric.name),
    weakest: weakest.map((s) => s.item.metric.name),
    unscored,
    summary,
  };
}

interface Scored {
  readonly item: ScorecardItem;
  readonly performance: number | undefined;
  readonly weight: number;
}

const label = (item: ScorecardItem) => item.metric.label.toLowerCase();

function listOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function labelOf(items: readonly ScorecardItem[], name: string): string {
  return label(items.find((i) => i.metric.name === name)!);
}

function ownerSummary(
  score: number,
  strongest: readonly Scored[],
  weakest: readonly Scored[],
  unscored: readonly string[],
  items: readonly ScorecardItem[],
): string {
  const parts = [
    `Overall you score ${Math.round(score)} out of 100: on the measures you weighted, you do better than about ${Math.round(score)}% of businesses like yours.`,
  ];
  parts.push(
    strongest.length > 0
      ? `You are strongest in ${listOf(strongest.map((s) => label(s.item)))}.`
      : 'None of your measures is ahead of the typical business yet.',
  );
  if (weakest.length > 0) {
    const first = weakest[0].item;
    const target = nextTarget(first.comparison.targets);
    const how = target
      ? `: ${formatChange(target.change, first.metric.unit)} would bring you to ${targetName(target.percentile)}`
      : '';
    parts.push(`Work on ${label(first)} first${how}.`);
  } else {
    parts.push('None of your measures is behind the typical business.');
  }
  if (unscored.length > 0) {
    parts.push(
      `${capitalised(listOf(unscored.map((n) => labelOf(items, n))))} ${unscored.length === 1 ? 'is' : 'are'} not scored: only an average is published for ${unscored.length === 1 ? 'it' : 'them'}.`,
    );
  }
  return parts.join(' ');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "revenue_per_employee: performance percentile 34.9 (95% interval of the rank 30-40.2), confidence high" */
function advisorLine(s: Scored): string {
  const c = s.item.comparison;
  const interval = c.rankInterval
    ? ` (95% interval of the rank ${c.rankInterval[0]}-${c.rankInterval[1]})`
    : '';
  const lower =
    s.item.metric.direction === 'lower_is_better'
      ? `, lower is better: raw rank ${c.percentileRank}`
      : '';
  return `${s.item.metric.name}: performance percentile ${s.performance}${lower}${interval}, confidence ${c.confidence}`;
}

function advisorSummary(
  score: number,
  weighted: readonly Scored[],
  strongest: readonly Scored[],
  weakest: readonly Scored[],
  unscored: readonly string[],
  peers: PeerGroup,
  industryLabel: string,
  items: readonly ScorecardItem[],
): string {
  const samples = items
    .map((i) => i.sampleSize)
    .filter((n): n is number => n !== null);
  const n =
    samples.length === 0
      ? 'whole populations (BLS, Census)'
      : Math.min(...samples) === Math.max(...samples)
        ? `n = ${samples[0]}`
        : `n = ${Math.min(...samples)}-${Math.max(...samples)}`;
  const parts = [
    `Weighted mean performance percentile ${score} over ${weighted.length} metric${weighted.length === 1 ? '' : 's'} (weights ${weighted.map((s) => `${s.item.metric.name} ${s.weight}`).join(', ')}); peer group: ${describePeers(peers, industryLabel, 'size')}, ${n}.`,
  ];
  const fallbacks = items.filter((i) => i.peerLevel.fallback);
  if (fallbacks.length > 0) {
    parts.push(
      `Samples under the minimum fell back to broader peer groups for ${fallbacks
        .map(
          (i) =>
            `${i.metric.name} (${describePeers(i.peerLevel, industryLabel, 'size')})`,
        )
        .join(', ')}.`,
    );
  }
  if (strongest.length > 0)
    parts.push(`Strongest: ${strongest.map(advisorLine).join('; ')}.`);
  if (weakest.length > 0)
    parts.push(`Weakest: ${weakest.map(advisorLine).join('; ')}.`);
  if (unscored.length > 0)
    parts.push(
      `Not scored (mean only, no percentiles): ${unscored.join(', ')}.`,
    );
  return parts.join(' ');
}
