import fc from 'fast-check';
import type { Percentiles } from './benchmark';
import {
  exactPercentileRank,
  percentileRank,
  valueAtRank,
} from './percentile-rank';

const P: Percentiles = { p10: 10, p25: 20, p50: 40, p75: 60, p90: 100 };

/** Strictly increasing percentiles, as every source publishes them. */
const percentilesArb = fc
  .tuple(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.array(fc.double({ min: 1e-3, max: 1e5, noNaN: true }), {
      minLength: 4,
      maxLength: 4,
    }),
  )
  .map(([start, gaps]): Percentiles => {
    const xs = [start];
    for (const g of gaps) xs.push(xs[xs.length - 1] + g);
    return { p10: xs[0], p25: xs[1], p50: xs[2], p75: xs[3], p90: xs[4] };
  })
  .filter(
    (p) => p.p10 < p.p25 && p.p25 < p.p50 && p.p50 < p.p75 && p.p75 < p.p90,
  );

describe('percentileRank', () => {
  it('should return the known rank at each published percentile', () => {
    expect(percentileRank(10, P)).toBe(10);
    expect(percentileRank(20, P)).toBe(25);
    expect(percentileRank(40, P)).toBe(50);
    expect(percentileRank(60, P)).toBe(75);
    expect(percentileRank(100, P)).toBe(90);
  });

  it('should interpolate linearly between neighbouring percentiles', () => {
    expect(percentileRank(15, P)).toBe(17.5);
    expect(percentileRank(30, P)).toBe(37.5);
    expect(percentileRank(50, P)).toBe(62.5);
    expect(percentileRank(80, P)).toBe(82.5);
  });

  it('should extrapolate below p10 with the slope of the p10-p25 segment', () => {
    // slope 15 ranks per 10 units
    expect(percentileRank(5, P)).toBe(2.5);
  });

  it('should extrapolate above p90 with the slope of the p75-p90 segment', () => {
    // slope 15 ranks per 40 units
    expect(percentileRank(120, P)).toBe(97.5);
  });

  it('should clamp far tails to 0 and 100', () => {
    expect(percentileRank(-1e9, P)).toBe(0);
    expect(percentileRank(1e9, P)).toBe(100);
  });

  it('should round to one decimal', () => {
    expect(percentileRank(41, P)).toBe(51.3); // 50 + 1/20 * 25 = 51.25 -> 51.3
  });

  it('should stay a number when values are so far apart that their difference overflows', () => {
    // Found by the property tests: (x - p10) / (p25 - p10) was Infinity / Infinity, a NaN rank.
    const huge: Percentiles = {
      p10: -1.7e308,
      p25: 1.5e308,
      p50: 1.6e308,
      p75: 1.7e308,
      p90: 1.75e308,
    };
    expect(percentileRank(1e308, huge)).toBe(22.7); // 10 + 2.7 / 3.2 * 15
    expect(percentileRank(-Number.MAX_VALUE, huge)).toBe(9.5); // 10 - 0.0977 / 3.2 * 15
  });

  it('should interpolate between subnormal percentiles', () => {
    const tiny: Percentiles = {
      p10: 0,
      p25: 5e-324,
      p50: 1e-323,
      p75: 1.5e-323,
      p90: 2e-323,
    };
    expect(percentileRank(5e-324, tiny)).toBe(25);
    expect(percentileRank(1e-323, tiny)).toBe(50);
  });

  it('should handle negative values such as loss-making margins', () => {
    const margins: Percentiles = {
      p10: -0.02,
      p25: 0.02,
      p50: 0.04,
      p75: 0.064,
      p90: 0.092,
    };
    expect(percentileRank(0, margins)).toBe(17.5);
  });

  it('should stay within 0..100 and never fall as the value rises', () => {
    fc.assert(
      fc.property(
        percentilesArb,
        fc.double({ min: -2e6, max: 2e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (p, v, step) => {
          const low = percentileRank(v, p);
          const high = percentileRank(v + step, p);
          return low >= 0 && high <= 100 && low <= high;
        },
      ),
    );
  });

  it('should give the known ranks at the percentiles of any distribution', () => {
    fc.assert(
      fc.property(percentilesArb, (p) => {
        return (
          percentileRank(p.p10, p) === 10 &&
          percentileRank(p.p25, p) === 25 &&
          percentileRank(p.p50, p) === 50 &&
          percentileRank(p.p75, p) === 75 &&
          percentileRank(p.p90, p) === 90
        );
      }),
    );
  });
});

describe('valueAtRank', () => {
  it('should return the published percentile at each known rank', () => {
    expect([10, 25, 50, 75, 90].map((r) => valueAtRank(r, P))).toEqual([
      10, 20, 40, 60, 100,
    ]);
  });

  it('should interpolate between known ranks and extend the end segments', () => {
    expect(valueAtRank(37.5, P)).toBe(30);
    expect(valueAtRank(2.5, P)).toBe(5);
    expect(valueAtRank(97.5, P)).toBe(120);
  });

  it('should invert the unrounded percentile rank anywhere in 0..100', () => {
    fc.assert(
      fc.property(
        percentilesArb,
        fc.double({ min: 0, max: 100, noNaN: true }),
        (p, rank) => {
          const back = exactPercentileRank(valueAtRank(rank, p), p);
          // Up to float rounding: gaps of 0.001 between values near 1e6 make a rank very sensitive.
          return Math.abs(back - rank) < 1e-3;
        },
      ),
    );
  });
});
