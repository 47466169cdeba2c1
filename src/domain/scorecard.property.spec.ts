import fc from 'fast-check';
import type { PeerGroup, Percentiles } from './benchmark';
import { findMetric } from './catalog';
import { compareToBenchmark } from './comparison';
import { performancePercentile } from './interpretation';
import { AUDIENCES, scorecard, type ScorecardItem } from './scorecard';

/**
 * Invariants of the overall score over any weights the API accepts: finite doubles >= 0, from the subnormal to the
 * largest a double can hold, whose total may overflow.
 */

const peers: PeerGroup = {
  industry: 'retail',
  companySize: 'medium',
  region: 'national',
};
const P: Percentiles = { p10: 10, p25: 20, p50: 40, p75: 60, p90: 100 };
const RANKED = [
  'revenue_per_employee',
  'profit_margin',
  'customer_acquisition_cost',
  'customer_retention_rate',
];

function item(name: string, value: number): ScorecardItem {
  const metric = findMetric(name)!;
  return {
    metric,
    comparison: compareToBenchmark(
      value,
      { value: 40, percentiles: P, source: 'synthetic', sampleSize: 120 },
      metric,
      peers,
      'retail',
    ),
    peerLevel: { companySize: 'medium', region: 'national', fallback: false },
    sampleSize: 120,
  };
}

/** A finite weight >= 0, often at the extremes: 0, subnormal, near 1, near the largest double. */
const weightArb = fc.oneof(
  fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }),
  fc.double({ min: 1e307, max: Number.MAX_VALUE, noNaN: true }),
  fc.double({ min: 0, max: 1e-300, noNaN: true }),
  fc.constantFrom(0, Number.MIN_VALUE, 1, 1e308, Number.MAX_VALUE),
);

/** Two to four ranked metrics with values around P, each with a weight, at least one of them above 0. */
const caseArb = fc
  .shuffledSubarray(RANKED, { minLength: 2, maxLength: RANKED.length })
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.array(fc.double({ min: 0, max: 120, noNaN: true }), {
        minLength: names.length,
        maxLength: names.length,
      }),
      fc.array(weightArb, {
        minLength: names.length,
        maxLength: names.length,
      }),
      fc.constantFrom(...AUDIENCES),
    ),
  )
  .filter(([, , weights]) => weights.some((w) => w > 0));

describe('scorecard (properties)', () => {
  it('should give a finite score within 0..100, the weighted mean with the weights divided by the largest, and no NaN in the summary', () => {
    fc.assert(
      fc.property(caseArb, ([names, values, weights, audience]) => {
        const items = names.map((name, i) => item(name, values[i]));
        const requested = Object.fromEntries(
          names.map((name, i) => [name, weights[i]]),
        );
        const card = scorecard(items, requested, audience, peers, 'retail');

        const largest = Math.max(...weights);
        const normalised = weights.map((w) => w / largest);
        const performances = items.map((it) =>
          performancePercentile(
            it.comparison.percentileRank!,
            it.metric.direction,
          ),
        );
        const mean =
          normalised.reduce((sum, w, i) => sum + w * performances[i], 0) /
          normalised.reduce((sum, w) => sum + w, 0);

        expect(Number.isFinite(card.overallScore)).toBe(true);
        expect(card.overallScore).toBeGreaterThanOrEqual(0);
        expect(card.overallScore).toBeLessThanOrEqual(100);
        // One decimal: within half a tenth of the exact mean, and a little for the sums' rounding.
        expect(Math.abs(card.overallScore - mean)).toBeLessThanOrEqual(
          0.05 + 1e-9,
        );
        expect(card.summary).not.toMatch(/NaN|Infinity/);
        // The weights are echoed as sent.
        expect(card.weights).toEqual(requested);
      }),
      { numRuns: 500 },
    );
  });
});
