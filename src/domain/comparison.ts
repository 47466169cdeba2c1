import type { BenchmarkPoint, PeerGroup } from './benchmark';
import type { MetricDefinition } from './catalog';
import { confidenceOf, rankInterval, type Confidence } from './confidence';
import type { ComparisonBasis, Frequency, Interpretation } from './enums';
import { COMPANY_SIZE_EMPLOYEES } from './enums';
import { formatCount, formatValue, ordinal, withoutFloatNoise } from './format';
import { interpret, performancePercentile } from './interpretation';
import type { PeerLevel, PeerSize } from './peer-fallback';
import { percentileRank } from './percentile-rank';
import { periodLabel, yearOfMonth, type Month } from './months';
import { describeNextTarget, targetsFor, type Target } from './targets';

/** One business value set against one benchmark distribution. */
export interface Comparison {
  readonly userValue: number;
  readonly benchmarkValue: number;
  readonly difference: number;
  /** Percent of the benchmark's magnitude, one decimal; null when the benchmark is 0. */
  readonly percentageDifference: number | null;
  /** Null when the benchmark is a mean only: no distribution, no rank. */
  readonly percentileRank: number | null;
  readonly interpretation: Interpretation;
  readonly interpretationText: string;
  /** Values at the 50th, 75th and 90th performance percentile; empty without percentiles (no distribution). */
  readonly targets: readonly Target[];
  readonly confidence: Confidence;
  /** Plausible range of `percentileRank` given the sample; null when there is no rank. */
  readonly rankInterval: readonly [number, number] | null;
}

/** What a comparison is made against, besides the benchmark point itself. */
export interface ComparisonContext {
  /** The peer group the point describes when it is a fallback from `peers` (see peer-fallback.ts). */
  readonly peerLevel?: PeerLevel;
  /** MIN_SAMPLE_SIZE, for the sentence that explains a fallback. */
  readonly minSampleSize?: number;
  /** A sentence saying which period's distribution was used (see `describeBasis`); appended to the text. */
  readonly basisText?: string;
}

const BAND_PHRASES: Record<Interpretation, string> = {
  significantly_above:
    'well above average, among the strongest tenth of your peers',
  above_average: 'above average, in the top quarter of your peers',
  average: 'average, within the middle half of your peers',
  below_average: 'below average, in the bottom quarter of your peers',
  significantly_below:
    'well below average, among the weakest tenth of your peers',
};

/** Bands of a comparison without percentiles, in percent of the benchmark (or percentage points for fractions). */
const MEAN_BAND_PHRASES: Record<
  'percent' | 'points',
  Record<Interpretation, string>
> = {
  percent: {
    significantly_above: 'well above it (25% or more better)',
    above_average: 'above it (10-25% better)',
    average: 'close to it (within 10%)',
    below_average: 'below it (10-25% worse)',
    significantly_below: 'well below it (25% or more worse)',
  },
  points: {
    significantly_above: 'well above it (3 or more percentage points better)',
    above_average: 'above it (1-3 percentage points better)',
    average: 'close to it (within 1 percentage point)',
    below_average: 'below it (1-3 percentage points worse)',
    significantly_below: 'well below it (3 or more percentage points worse)',
  },
};

/**
 * Band of a comparison against a benchmark with no percentiles (a mean, or a median whose other percentiles were
 * withheld), turned so that positive means better. For fractions (rates, growth) in percentage points, since a
 * percentage of a rate near zero means nothing: >= 3 `significantly_above`, >= 1 `above_average`, > -1 `average`,
 * > -3 `below_average`. For other units in percent of the benchmark: >= 25, >= 10, > -10, > -25. With a zero
 * benchmark (no percentage), only the sign of the difference counts.
 */
export function interpretAgainstMean(
  difference: number,
  percentageDifference: number | null,
  direction: MetricDefinition['direction'],
  unit: MetricDefinition['unit'] = 'usd',
): Interpretation {
  const sign = direction === 'lower_is_better' ? -1 : 1;
  const [better, strong, weak] =
    unit === 'fraction'
      ? [sign * difference * 100, 3, 1]
      : percentageDifference === null
        ? [Math.sign(sign * difference), Infinity, 0.5]
        : [sign * percentageDifference, 25, 10];
  if (better >= strong) return 'significantly_above';
  if (better >= weak) return 'above_average';
  if (better > -weak) return 'average';
  if (better > -strong) return 'below_average';
  return 'significantly_below';
}

const SIZE_WORDS: Record<PeerSize, string> = {
  small: 'small',
  medium: 'medium-sized',
  large: 'large',
  all: '',
};

/** How a source's numbers describe businesses: by size word, employers of every size (BLS), or by employee range. */
export type PeerWording = 'size' | 'employers' | { readonly unit: string };

export function describePeers(
  peers: Pick<PeerLevel, 'companySize' | 'region'>,
  industryLabel: string,
  wording: PeerWording,
): string {
  const where =
    peers.region === 'national' ? 'nationally' : `in the ${peers.region}`;
  if (wording === 'employers')
    return `${industryLabel} employers of all sizes ${where}`;
  if (typeof wording === 'object') {
    const unit = wording.unit;
    if (peers.companySize === 'all')
      return `${industryLabel} ${unit} of all sizes ${where}`;
    const { min, max } = COMPANY_SIZE_EMPLOYEES[peers.companySize];
    return `${industryLabel} ${unit} with ${min}-${max} employees ${where}`;
  }
  return peers.companySize === 'all'
    ? `${industryLabel} businesses of all sizes ${where}`
    : `${SIZE_WORDS[peers.companySize]} ${industryLabel} businesses ${where}`;
}

/** How the peers of a point are worded: by its source's grain (see {@link PeerWording}). */
function wordingOf(
  source: BenchmarkPoint['source'],
  metric: MetricDefinition,
): PeerWording {
  if (source === 'bls') return 'employers';
  if (source === 'census') return { unit: metric.sampleUnit ?? 'businesses' };
  return 'size';
}

/** `(Census Annual Business Survey, 2022, 4,210 firms)`: the program, year and count behind a real number. */
function describeProvenance(
  metric: MetricDefinition,
  benchmark: Partial<Pick<BenchmarkPoint, 'month' | 'sampleSize' | 'source'>>,
): string {
  if (benchmark.source === 'synthetic' || !metric.program) return '';
  const parts = [metric.program];
  if (benchmark.month !== undefined)
    parts.push(String(yearOfMonth(benchmark.month)));
  if (benchmark.sampleSize != null && metric.sampleUnit)
    parts.push(`${formatCount(benchmark.sampleSize)} ${metric.sampleUnit}`);
  return ` (${parts.join(', ')})`;
}

/** The sentence that says a broader peer group stands in for the one asked for. */
function describeFallback(
  peers: PeerGroup,
  industryLabel: string,
  minSampleSize: number | undefined,
  wording: PeerWording,
): string {
  const own = describePeers(peers, industryLabel, wording);
  // Census counts whole populations: its cells fall back when withheld, never for being small.
  if (typeof wording === 'object')
    return ` Census withholds the figures of ${own} (or publishes too little of them), so a broader peer group is used.`;
  const threshold =
    minSampleSize === undefined ? 'too few' : `fewer than ${minSampleSize}`;
  return ` The sample of ${own} has ${threshold} businesses, so a broader peer group is used.`;
}

function describeDifference(
  metric: MetricDefinition,
  difference: number,
  percentageDifference: number | null,
): string {
  if (difference === 0) return 'equal to';
  const side = difference > 0 ? 'higher' : 'lower';
  if (metric.unit === 'fraction') {
    const points = Math.abs(difference * 100).toFixed(1);
    const pct =
      percentageDifference === null
        ? ''
        : ` (${Math.abs(percentageDifference).toFixed(1)}%)`;
    return `${points} percentage points${pct} ${side} than`;
  }
  if (percentageDifference === null) {
    return `${formatValue(Math.abs(difference), metric.unit)} ${side} than`;
  }
  return `${Math.abs(percentageDifference).toFixed(1)}% ${side} than`;
}

function describeStanding(performance: number): string {
  const share = Math.round(performance);
  if (share >= 100) return 'you do better than nearly all peers';
  if (share <= 0) return 'nearly all peers do better';
  return `you do better than about ${share}% of peers`;
}

/**
 * Why `value`, sent as `field`, cannot be a business's value of `metric` (outside its valid range), or undefined. For
 * fractions sent as percents, the message says how to send them.
 */
export function valueProblem(
  field: string,
  metric: MetricDefinition,
  value: number,
): string | undefined {
  const { min, max } = metric.validRange;
  if (value >= min && value <= max) return undefined;
  const hint =
    metric.unit === 'fraction' &&
    Math.abs(value) > 1 &&
    Math.abs(value / 100) <= max
      ? `; it is a fraction: send ${value / 100} for ${value}%`
      : '';
  return `${field} must be between ${min} and ${max} (got ${value})${hint}`;
}

/**
 * Compares a business's value with a benchmark point. With percentiles, `benchmarkValue` is the median, the rank
 * is computed from exactly those percentiles and the interpretation comes from the performance percentile, so
 * "above" always means better than peers whichever direction the metric runs. With a mean only, there is no rank
 * and the interpretation comes from the percentage difference ({@link interpretAgainstMean}).
 */
export function compareToBenchmark(
  userValue: number,
  benchmark: Pick<BenchmarkPoint, 'value' | 'percentiles' | 'source'> &
    Partial<Pick<BenchmarkPoint, 'sampleSize' | 'month' | 'population'>>,
  metric: MetricDefinition,
  peers: PeerGroup,
  industryLabel: string,
  context: ComparisonContext = {},
): Comparison {
  const benchmarkValue = benchmark.value;
  // A population count (Census's firms in the cell) is no sample: like BLS's figures, no sampling uncertainty.
  const sampleSize = benchmark.population
    ? null
    : (benchmark.sampleSize ?? null);
  const level = context.peerLevel;
  const wording = wordingOf(benchmark.source, metric);
  const fallbackText = level?.fallback
    ? describeFallback(peers, industryLabel, context.minSampleSize, wording)
    : '';
  const basisText = context.basisText ? ` ${context.basisText}` : '';
  const rawDifference = userValue - benchmarkValue;
  const percentageDifference =
    benchmarkValue === 0
      ? null
      : Math.round((rawDifference / Math.abs(benchmarkValue)) * 1000) / 10;
  // BLS publishes no company-size classes: its numbers describe employers of every size. Census's describe the
  // company size's employee range, and say which program and year they come from.
  const peerText =
    describePeers(level ?? peers, industryLabel, wording) +
    describeProvenance(metric, benchmark);
  const lowerNote =
    metric.direction === 'lower_is_better'
      ? ' For this metric lower is better.'
      : '';

  if (!benchmark.percentiles) {
    const interpretation = interpretAgainstMean(
      rawDifference,
      percentageDifference,
      metric.direction,
      metric.unit,
    );
    // A percentiles metric whose other percentiles were withheld still has a median, not a mean.
    const statistic = metric.statistic === 'percentiles' ? 'median' : 'mean';
    const why =
      statistic === 'median'
        ? 'the other percentiles were withheld'
        : 'only a mean is published';
    const bands =
      MEAN_BAND_PHRASES[metric.unit === 'fraction' ? 'points' : 'percent'];
    const interpretationText =
      `Your ${metric.label.toLowerCase()} of ${formatValue(userValue, metric.unit)} is ` +
      `${describeDifference(metric, rawDifference, percentageDifference)} the ${statistic} of ` +
      `${formatValue(benchmarkValue, metric.unit)} for ${peerText}; ${why}, so there is no ` +
      `percentile rank.${lowerNote} Rating: ${bands[interpretation]}.${fallbackText}${basisText}`;
    return {
      userValue,
      benchmarkValue,
      difference: withoutFloatNoise(rawDifference),
      percentageDifference,
      percentileRank: null,
      interpretation,
      interpretationText,
      targets: [],
      confidence: confidenceOf(sampleSize, null),
      rankInterval: null,
    };
  }

  const rank = percentileRank(userValue, benchmark.percentiles);
  const performance = performancePercentile(rank, metric.direction);
  const interpretation = interpret(performance);
  const rankNote =
    metric.direction === 'lower_is_better'
      ? `For this metric lower is better, so ${describeStanding(performance)} (your value is ${describePosition(rank)} of peer values)`
      : `That is ${describePosition(rank)}: ${describeStanding(performance)}`;
  const targets = targetsFor(
    userValue,
    benchmark.percentiles,
    metric.direction,
  );
  const interpretationText =
    `Your ${metric.label.toLowerCase()} of ${formatValue(userValue, metric.unit)} is ` +
    `${describeDifference(metric, rawDifference, percentageDifference)} the median of ` +
    `${formatValue(benchmarkValue, metric.unit)} for ${peerText}.` +
    ` ${rankNote}. Rating: ${BAND_PHRASES[interpretation]}.` +
    ` ${describeNextTarget(targets, metric.unit, metric.label)}${fallbackText}${basisText}`;

  return {
    userValue,
    benchmarkValue,
    difference: withoutFloatNoise(rawDifference),
    percentageDifference,
    percentileRank: rank,
    interpretation,
    interpretationText,
    targets,
    confidence: confidenceOf(sampleSize, benchmark.percentiles),
    rankInterval: rankInterval(rank, sampleSize),
  };
}

/** Where a rank sits, in words that never contradict the number: 0 is not "the 1st percentile". */
function describePosition(rank: number): string {
  if (rank < 0.5) return 'below the 1st percentile';
  if (rank > 99.5) return 'above the 99th percentile';
  return `about the ${ordinal(Math.round(rank))} percentile`;
}

/**
 * The sentence that says what a value was compared with: the same month's distribution, its seasonally adjusted
 * version, or the newest published period (`unadjustable`: seasonal adjustment was asked for and the source could not
 * give it).
 */
export function describeBasis(
  basis: ComparisonBasis,
  benchmarkMonth: Month,
  frequency: Frequency,
  unadjustable = false,
): string {
  const label = periodLabel(benchmarkMonth, frequency);
  switch (basis) {
    case 'same_month':
      return `Compared with peers' figures for ${label}, the same month, so both carry that month's season.`;
    case 'seasonally_adjusted':
      return `Compared with peers' seasonally adjusted figures for ${label}: the season is taken out.`;
    case 'published_period':
      return (
        `Compared with the newest published figure, for ${label}.` +
        (unadjustable
          ? ' It is not seasonally adjusted: its source cannot adjust it.'
          : '')
      );
  }
}
