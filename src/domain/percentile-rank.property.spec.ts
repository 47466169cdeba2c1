import fc from 'fast-check';
import type { Percentiles } from './benchmark';
import { percentileRank } from './percentile-rank';

/**
 * Invariants of the percentile rank over arbitrary distributions and values: any finite doubles, from the realistic
 * (the generator's and BLS's magnitudes) to the extremes a double can hold.
 */

const KNOWN: ReadonlyArray<[keyof Percentiles, number]> = [
  ['p10', 10],
  ['p25', 25],
  ['p50', 50],
  ['p75', 75],
  ['p90', 90],
];

const toPercentiles = (xs: number[]): Percentiles => ({
  p10: xs[0],
  p25: xs[1],
  p50: xs[2],
  p75: xs[3],
  p90: xs[4],
});

const strictlyIncreasing = (xs: number[]): boolean =>
  xs.every((x, i) => i === 0 || x > xs[i - 1]);

/** Five strictly increasing finite doubles anywhere in the double range. */
const anyPercentilesArb = fc
  .uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true }), {
    minLength: 5,
    maxLength: 5,
  })
  .map((xs) => [...xs].sort((a, b) => a - b))
  .filter(strictlyIncreasing)
  .map(toPercentiles);

/**
 * Percentiles more than the largest double apart (p10 near -MAX_VALUE, the others near +MAX_VALUE), so that a
 * difference of two values overflows to Infinity; with a value between p10 and p90.
 */
const overflowingCaseArb = fc
  .tuple(
    fc.double({ min: -Number.MAX_VALUE, max: -1e308, noNaN: true }),
    fc.uniqueArray(
      fc.double({ min: 1e308, max: Number.MAX_VALUE, noNaN: true }),
      {
        minLength: 4,
        maxLength: 4,
      },
    ),
  )
  .map(([low, high]) => [low, ...[...high].sort((a, b) => a - b)])
  .filter(strictlyIncreasing)
  .map(toPercentiles)
  .chain((p) =>
    fc.tuple(
      fc.constant(p),
      fc.double({ min: p.p10, max: p.p90, noNaN: true }),
    ),
  );

/** Strictly increasing percentiles of service magnitudes: margins around 0 up to dollars in the millions. */
const realisticPercentilesArb = fc
  .tuple(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.array(fc.double({ min: 1e-4, max: 1e6, noNaN: true }), {
      minLength: 4,
      maxLength: 4,
    }),
  )
  .map(([start, gaps]) => {
    const xs = [start];
    for (const g of gaps) xs.push(xs[xs.length - 1] + g);
    return xs;
  })
  .filter(strictlyIncreasing)
  .map(toPercentiles);

const anyValueArb = fc.double({ noNaN: true, noDefaultInfinity: true });
const RUNS = { numRuns: 3000 };

describe('percentileRank (properties)', () => {
  it('should be a number within 0..100 with one decimal for any finite value and distribution', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyPercentilesArb, realisticPercentilesArb),
        anyValueArb,
        (p, value) => {
          const rank = percentileRank(value, p);
          expect(Number.isFinite(rank)).toBe(true);
          expect(rank).toBeGreaterThanOrEqual(0);
          expect(rank).toBeLessThanOrEqual(100);
          expect(Math.round(rank * 10) / 10).toBe(rank);
        },
      ),
      RUNS,
    );
  });

  it('should stay within 0..100 when the distribution spans more than the largest double', () => {
    fc.assert(
      fc.property(overflowingCaseArb, ([p, value]) => {
        const rank = percentileRank(value, p);
        expect(rank).toBeGreaterThanOrEqual(10);
        expect(rank).toBeLessThanOrEqual(90);
      }),
      RUNS,
    );
  });

  it('should never fall as the value rises', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyPercentilesArb, realisticPercentilesArb),
        anyValueArb,
        anyValueArb,
        (p, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(percentileRank(low, p)).toBeLessThanOrEqual(
            percentileRank(high, p),
          );
        },
      ),
      RUNS,
    );
  });

  it('should give exactly the known rank at each published percentile', () => {
    fc.assert(
      fc.property(realisticPercentilesArb, (p) => {
        for (const [key, rank] of KNOWN)
          expect(percentileRank(p[key], p)).toBe(rank);
      }),
      RUNS,
    );
  });

  it('should equal the linear interpolation between the neighbouring known percentiles', () => {
    fc.assert(
      fc.property(
        realisticPercentilesArb,
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (p, segment, t) => {
          const [lowKey, lowRank] = KNOWN[segment];
          const [highKey, highRank] = KNOWN[segment + 1];
          const value = p[lowKey] + t * (p[highKey] - p[lowKey]);
          const expected = lowRank + t * (highRank - lowRank);
          // One decimal of rounding, plus the float error of building `value` from t.
          expect(
            Math.abs(percentileRank(value, p) - expected),
          ).toBeLessThanOrEqual(0.05 + 1e-6);
        },
      ),
      RUNS,
    );
  });

  it('should extend the outer segments beyond p10 and p90, clamped to 0..100', () => {
    fc.assert(
      fc.property(
        realisticPercentilesArb,
        fc.double({ min: 0, max: 10, noNaN: true }),
        (p, widths) => {
          // `widths` segment widths below p10 and above p90
          const below = p.p10 - widths * (p.p25 - p.p10);
          const above = p.p90 + widths * (p.p90 - p.p75);
          const tolerance = 0.05 + 1e-6;
          expect(
            Math.abs(percentileRank(below, p) - Math.max(0, 10 - 15 * widths)),
          ).toBeLessThanOrEqual(tolerance);
          expect(
            Math.abs(
              percentileRank(above, p) - Math.min(100, 90 + 15 * widths),
            ),
          ).toBeLessThanOrEqual(tolerance);
        },
      ),
      RUNS,
    );
  });
});
