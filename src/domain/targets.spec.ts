import type { Percentiles } from './benchmark';
import { percentileRank } from './percentile-rank';
import { performancePercentile } from './interpretation';
import {
  describeNextTarget,
  formatChange,
  nextTarget,
  targetsFor,
} from './targets';

const P: Percentiles = { p10: 100, p25: 150, p50: 200, p75: 260, p90: 330 };

describe('targetsFor', () => {
  it('should give the 50th, 75th and 90th percentiles for a higher-is-better metric', () => {
    const targets = targetsFor(180, P, 'higher_is_better');
    expect(targets.map((t) => [t.percentile, t.value, t.change])).toEqual([
      [50, 200, 20],
      [75, 260, 80],
      [90, 330, 150],
    ]);
    expect(targets.map((t) => t.reached)).toEqual([false, false, false]);
  });

  it('should give the 50th, 25th and 10th percentiles for a lower-is-better metric, with negative changes', () => {
    const targets = targetsFor(180, P, 'lower_is_better');
    expect(targets.map((t) => [t.percentile, t.value, t.change])).toEqual([
      [50, 200, 20],
      [75, 150, -30],
      [90, 100, -80],
    ]);
    expect(targets.map((t) => t.reached)).toEqual([true, false, false]);
  });

  it('should put a business exactly at each target value at that performance percentile', () => {
    for (const direction of ['higher_is_better', 'lower_is_better'] as const) {
      for (const t of targetsFor(123, P, direction)) {
        const rank = percentileRank(t.value, P);
        expect(performancePercentile(rank, direction)).toBe(t.percentile);
      }
    }
  });

  it('should keep change exact: value - user value without float noise', () => {
    const margins: Percentiles = {
      p10: -0.02,
      p25: 0.02,
      p50: 0.04,
      p75: 0.064,
      p90: 0.1,
    };
    const [, , top] = targetsFor(0.087, margins, 'higher_is_better');
    expect(top.change).toBe(0.013);
    expect(top.change).toBeCloseTo(top.value - 0.087, 15);
  });

  it('should mark targets reached when the business is at or beyond them', () => {
    const targets = targetsFor(400, P, 'higher_is_better');
    expect(targets.every((t) => t.reached && t.change < 0)).toBe(true);
    expect(nextTarget(targets)).toBeUndefined();
  });
});

describe('describeNextTarget', () => {
  it('should name the nearest target not yet reached, in dollars', () => {
    const targets = targetsFor(220, P, 'higher_is_better');
    expect(describeNextTarget(targets, 'usd', 'Revenue per employee')).toBe(
      'Next target: +$40.00 revenue per employee to reach the top quartile (the 75th percentile of performance, $260.00).',
    );
  });

  it('should say how much lower a cost must go, in its unit', () => {
    const days: Percentiles = { p10: 20, p25: 30, p50: 40, p75: 55, p90: 70 };
    const targets = targetsFor(47.5, days, 'lower_is_better');
    expect(
      describeNextTarget(targets, 'days', 'Days sales outstanding'),
    ).toContain('-7.5 days of days sales outstanding to reach the median');
  });

  it('should speak of percentage points for fractions', () => {
    const margins: Percentiles = {
      p10: -0.02,
      p25: 0.02,
      p50: 0.04,
      p75: 0.064,
      p90: 0.1,
    };
    const targets = targetsFor(0.05, margins, 'higher_is_better');
    expect(
      describeNextTarget(targets, 'fraction', 'Net profit margin'),
    ).toContain(
      '+1.4 percentage points of net profit margin to reach the top quartile',
    );
  });

  it('should say when every target is reached', () => {
    const targets = targetsFor(50, P, 'lower_is_better');
    expect(describeNextTarget(targets, 'usd', 'Cost')).toBe(
      'You are already in the top tenth of your peers.',
    );
  });
});

describe('formatChange', () => {
  it('should sign every change and use the unit', () => {
    expect(formatChange(14200, 'usd')).toBe('+$14,200');
    expect(formatChange(-12.4, 'usd')).toBe('-$12.40');
    expect(formatChange(1.25, 'turns_per_year')).toBe('+1.3 turns a year');
    expect(formatChange(-0.004, 'fraction')).toBe('-0.4 percentage points');
  });
});
