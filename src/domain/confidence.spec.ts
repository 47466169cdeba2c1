import fc from 'fast-check';
import type { Percentiles } from './benchmark';
import {
  confidenceOf,
  isWideSpread,
  quartileDispersion,
  rankInterval,
} from './confidence';

const NARROW: Percentiles = { p10: 80, p25: 90, p50: 100, p75: 110, p90: 120 };
const WIDE: Percentiles = {
  p10: -0.02,
  p25: 0.01,
  p50: 0.04,
  p75: 0.06,
  p90: 0.1,
};

describe('quartileDispersion', () => {
  it('should be scale-free and reach 1 when the middle half straddles zero', () => {
    expect(quartileDispersion(NARROW)).toBeCloseTo(0.1, 12);
    expect(
      quartileDispersion({ p10: 8, p25: 9, p50: 10, p75: 11, p90: 12 }),
    ).toBeCloseTo(0.1, 12);
    expect(quartileDispersion({ ...WIDE, p25: -0.01 })).toBe(1);
  });
});

describe('isWideSpread', () => {
  it('should call a middle half spanning more than a factor of four wide', () => {
    expect(isWideSpread({ ...NARROW, p25: 25, p75: 99 })).toBe(false);
    expect(isWideSpread({ ...NARROW, p25: 24, p75: 99 })).toBe(true);
    expect(isWideSpread(WIDE)).toBe(true);
  });
});

describe('confidenceOf', () => {
  it('should grade by sample size with a narrow spread', () => {
    expect(confidenceOf(100, NARROW)).toBe('high');
    expect(confidenceOf(99, NARROW)).toBe('medium');
    expect(confidenceOf(30, NARROW)).toBe('medium');
    expect(confidenceOf(29, NARROW)).toBe('low');
  });

  it('should lower the grade one level for a wide spread', () => {
    expect(confidenceOf(400, WIDE)).toBe('medium');
    expect(confidenceOf(50, WIDE)).toBe('low');
    expect(confidenceOf(10, WIDE)).toBe('low');
  });

  it('should treat a whole population (no sample size) as a large sample', () => {
    expect(confidenceOf(null, NARROW)).toBe('high');
  });

  it('should be low without percentiles', () => {
    expect(confidenceOf(500, null)).toBe('low');
  });
});

describe('rankInterval', () => {
  it('should contain the rank and stay within 0..100', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }).map((r) => r / 10),
        fc.integer({ min: 1, max: 100000 }),
        (rank, n) => {
          const [low, high] = rankInterval(rank, n);
          return 0 <= low && low <= rank && rank <= high && high <= 100;
        },
      ),
    );
  });

  it('should narrow as the sample grows', () => {
    const width = (n: number) => {
      const [low, high] = rankInterval(40, n);
      return high - low;
    };
    expect(width(24)).toBeGreaterThan(width(100));
    expect(width(100)).toBeGreaterThan(width(470));
  });

  it('should match the 95% Wilson interval', () => {
    // q = 0.5, n = 100: centre 0.5, half-width 1.96 * sqrt(0.25/100 + 1.96^2/40000) / (1 + 1.96^2/100) ~ 0.0962
    expect(rankInterval(50, 100)).toEqual([40.3, 59.7]);
  });

  it('should be a point for a whole population', () => {
    expect(rankInterval(37.2, null)).toEqual([37.2, 37.2]);
  });
});
