import fc from 'fast-check';
import type { Percentiles, PeerGroup } from './benchmark';
import { METRICS, type MetricDefinition } from './catalog';
import { compareToBenchmark, interpretAgainstMean } from './comparison';
import {
  COMPANY_SIZES,
  INTERPRETATIONS,
  REGIONS,
  type Interpretation,
} from './enums';
import { interpret, performancePercentile } from './interpretation';
import { percentileRank } from './percentile-rank';

/**
 * Invariants of a comparison: the interpretation agrees with the rank, the band thresholds and the metric's
 * direction, for every metric of the catalog, any distribution and any value a business may send.
 */

const PERCENTILE_METRICS = Object.values(METRICS).filter(
  (m) => m.statistic === 'percentiles',
);
const MEAN_METRICS = Object.values(METRICS).filter(
  (m) => m.statistic === 'mean',
);

/** Bands from best (0) to worst (4). */
const bandIndex = (band: Interpretation): number =>
  INTERPRETATIONS.indexOf(band);

const peers: PeerGroup = {
  industry: 'retail',
  companySize: 'medium',
  region: 'national',
};
const peersArb: fc.Arbitrary<PeerGroup> = fc.record({
  industry: fc.constant('retail'),
  companySize: fc.constantFrom(...COMPANY_SIZES),
  region: fc.constantFrom(...REGIONS),
});

/** Strictly increasing percentiles within a metric's valid range, as the sources publish them. */
const percentilesArb = (metric: MetricDefinition): fc.Arbitrary<Percentiles> =>
  fc
    .uniqueArray(
      fc.double({
        min: Math.max(metric.validRange.min, -1e6),
        max: Math.min(metric.validRange.max, 1e7),
        noNaN: true,
      }),
      { minLength: 5, maxLength: 5 },
    )
    .map((xs) => [...xs].sort((a, b) => a - b))
    .filter((xs) => xs.every((x, i) => i === 0 || x > xs[i - 1]))
    .map(([p10, p25, p50, p75, p90]) => ({ p10, p25, p50, p75, p90 }));

/** A metric, a distribution, and two valid user values of it. */
const caseArb = fc.constantFrom(...PERCENTILE_METRICS).chain((metric) => {
  const value = fc.double({
    min: metric.validRange.min,
    max: metric.validRange.max,
    noNaN: true,
  });
  return fc.record({
    metric: fc.constant(metric),
    percentiles: percentilesArb(metric),
    a: value,
    b: value,
    peers: peersArb,
  });
});

const compare = (
  value: number,
  percentiles: Percentiles,
  metric: MetricDefinition,
  group: PeerGroup = peers,
) =>
  compareToBenchmark(
    value,
    { value: percentiles.p50, percentiles, source: 'synthetic' },
    metric,
    group,
    'Retail',
  );

const RUNS = { numRuns: 3000 };

describe('compareToBenchmark (properties)', () => {
  it("should rank the value within 0..100 and rate it by its performance percentile in the metric's direction", () => {
    fc.assert(
      fc.property(caseArb, ({ metric, percentiles, a, peers: group }) => {
        const result = compare(a, percentiles, metric, group);
        const rank = percentileRank(a, percentiles);
        expect(result.percentileRank).toBe(rank);
        expect(rank).toBeGreaterThanOrEqual(0);
        expect(rank).toBeLessThanOrEqual(100);
        expect(result.benchmarkValue).toBe(percentiles.p50);
        expect(result.interpretation).toBe(
          interpret(performancePercentile(rank, metric.direction)),
        );
      }),
      RUNS,
    );
  });

  it('should rate a value at or beyond the best-side extreme percentile significantly above, and one at or beyond the worst-side one in the bottom two bands', () => {
    fc.assert(
      fc.property(caseArb, ({ metric, percentiles, a }) => {
        const higherIsBetter = metric.direction === 'higher_is_better';
        const good = higherIsBetter
          ? a >= percentiles.p90
          : a <= percentiles.p10;
        const bad = higherIsBetter
          ? a <= percentiles.p10
          : a >= percentiles.p90;
        const { interpretation } = compare(a, percentiles, metric);
        if (good) expect(interpretation).toBe('significantly_above');
        if (bad)
          expect(['below_average', 'significantly_below']).toContain(
            interpretation,
          );
      }),
      RUNS,
    );
  });

  it('should never rate a better value worse: bands follow the value up for higher-is-better, down for lower-is-better', () => {
    fc.assert(
      fc.property(caseArb, ({ metric, percentiles, a, b }) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const lowBand = bandIndex(
          compare(low, percentiles, metric).interpretation,
        );
        const highBand = bandIndex(
          compare(high, percentiles, metric).interpretation,
        );
        if (metric.direction === 'higher_is_better')
          expect(highBand).toBeLessThanOrEqual(lowBand);
        else expect(highBand).toBeGreaterThanOrEqual(lowBand);
      }),
      RUNS,
    );
  });

  it('should say in words that lower is better exactly for lower-is-better metrics, and give the rating it returns', () => {
    fc.assert(
      fc.property(caseArb, ({ metric, percentiles, a }) => {
        const result = compare(a, percentiles, metric);
        expect(result.interpretationText.includes('lower is better')).toBe(
          metric.direction === 'lower_is_better',
        );
        const rated = /Rating: (.+)\.$/.exec(result.interpretationText)?.[1];
        expect(rated?.split(',')[0]).toBe(
          {
            significantly_above: 'well above average',
            above_average: 'above average',
            average: 'average',
            below_average: 'below average',
            significantly_below: 'well below average',
          }[result.interpretation],
        );
      }),
      RUNS,
    );
  });
});

describe('interpretAgainstMean (properties)', () => {
  const meanCaseArb = fc.record({
    metric: fc.constantFrom(...MEAN_METRICS),
    benchmark: fc.double({ min: -1e6, max: 1e7, noNaN: true }),
    a: fc.double({ min: -1e7, max: 1e7, noNaN: true }),
    b: fc.double({ min: -1e7, max: 1e7, noNaN: true }),
  });

  const band = (value: number, benchmark: number, metric: MetricDefinition) => {
    const difference = value - benchmark;
    const pct =
      benchmark === 0
        ? null
        : Math.round((difference / Math.abs(benchmark)) * 1000) / 10;
    return bandIndex(
      interpretAgainstMean(difference, pct, metric.direction, metric.unit),
    );
  };

  it('should rate the benchmark itself average and never rate a better value worse', () => {
    fc.assert(
      fc.property(meanCaseArb, ({ metric, benchmark, a, b }) => {
        expect(band(benchmark, benchmark, metric)).toBe(bandIndex('average'));
        const [low, high] = a <= b ? [a, b] : [b, a];
        if (metric.direction === 'higher_is_better')
          expect(band(high, benchmark, metric)).toBeLessThanOrEqual(
            band(low, benchmark, metric),
          );
        else
          expect(band(high, benchmark, metric)).toBeGreaterThanOrEqual(
            band(low, benchmark, metric),
          );
      }),
      RUNS,
    );
  });
});
