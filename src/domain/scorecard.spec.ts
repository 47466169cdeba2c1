import type { PeerGroup, Percentiles } from './benchmark';
import { findMetric } from './catalog';
import { compareToBenchmark } from './comparison';
import {
  NothingToScoreError,
  scorecard,
  weightsProblems,
  type ScorecardItem,
} from './scorecard';

const peers: PeerGroup = {
  industry: 'retail',
  companySize: 'medium',
  region: 'national',
};
const P: Percentiles = { p10: 10, p25: 20, p50: 40, p75: 60, p90: 100 };

/** A compared metric whose benchmark is P (or a mean only). */
function item(name: string, value: number, mean = false): ScorecardItem {
  const metric = findMetric(name)!;
  const comparison = compareToBenchmark(
    value,
    mean
      ? { value: 40, percentiles: null, source: 'bls' }
      : { value: 40, percentiles: P, source: 'synthetic', sampleSize: 120 },
    metric,
    peers,
    'retail',
  );
  return {
    metric,
    comparison,
    peerLevel: { companySize: 'medium', region: 'national', fallback: false },
    sampleSize: mean ? null : 120,
  };
}

// Ranks against P: revenue 60 -> 75; margin 0.2 -> 0; acquisition cost 20 -> rank 25, performance 75; retention 40 -> 50.
const revenue = item('revenue_per_employee', 60);
const margin = item('profit_margin', 0.2);
const cost = item('customer_acquisition_cost', 20);
const retention = item('customer_retention_rate', 40);

describe('scorecard', () => {
  it('should average performance percentiles with weight 1 each by default, lower-is-better turned round', () => {
    const card = scorecard([revenue, cost], {}, 'owner', peers, 'retail');
    expect(revenue.comparison.percentileRank).toBe(75);
    expect(cost.comparison.percentileRank).toBe(25);
    expect(card.overallScore).toBe(75);
    expect(card.weights).toEqual({
      revenue_per_employee: 1,
      customer_acquisition_cost: 1,
    });
  });

  it('should weight the mean by the weights sent and echo them', () => {
    const card = scorecard(
      [revenue, margin],
      { revenue_per_employee: 3 },
      'owner',
      peers,
      'retail',
    );
    const marginPerformance = margin.comparison.percentileRank!;
    expect(card.overallScore).toBe(
      Math.round(((3 * 75 + 1 * marginPerformance) / 4) * 10) / 10,
    );
    expect(card.weights).toEqual({ revenue_per_employee: 3, profit_margin: 1 });
  });

  it('should score weights too large or too small to sum as it scores equal weights, echoing them as sent', () => {
    const equal = scorecard([revenue, margin], {}, 'advisor', peers, 'retail');
    for (const w of [1e308, Number.MAX_VALUE, Number.MIN_VALUE]) {
      const card = scorecard(
        [revenue, margin],
        { revenue_per_employee: w, profit_margin: w },
        'advisor',
        peers,
        'retail',
      );
      expect(card.overallScore).toBe(equal.overallScore);
      expect(card.weights).toEqual({
        revenue_per_employee: w,
        profit_margin: w,
      });
      expect(card.summary).not.toContain('NaN');
    }
  });

  it('should list strongest (at or above the median) and weakest (below it), leaving weight-0 metrics out', () => {
    const card = scorecard(
      [margin, revenue, cost, retention],
      { customer_acquisition_cost: 0 },
      'owner',
      peers,
      'retail',
    );
    expect(card.strongest).toEqual([
      'revenue_per_employee',
      'customer_retention_rate',
    ]);
    expect(card.weakest).toEqual(['profit_margin']);
    expect(card.weights.customer_acquisition_cost).toBe(0);
  });

  it('should leave metrics without a rank unscored, with weight 0', () => {
    const wage = item('average_annual_pay', 50, true);
    const card = scorecard(
      [revenue, wage],
      { average_annual_pay: 5 },
      'owner',
      peers,
      'retail',
    );
    expect(card.overallScore).toBe(75);
    expect(card.weights.average_annual_pay).toBe(0);
    expect(card.unscored).toEqual(['average_annual_pay']);
    expect(card.summary).toContain('Average annual pay is not scored');
  });

  it('should refuse to score when no rankable metric has a weight', () => {
    const wage = item('average_annual_pay', 50, true);
    expect(() =>
      scorecard(
        [revenue, wage],
        { revenue_per_employee: 0 },
        'owner',
        peers,
        'retail',
      ),
    ).toThrow(NothingToScoreError);
  });

  it('should speak plainly to the owner, naming no percentiles', () => {
    const card = scorecard([revenue, margin], {}, 'owner', peers, 'retail');
    expect(card.summary).toContain('Overall you score');
    expect(card.summary).toContain(
      'You are strongest in revenue per employee.',
    );
    expect(card.summary).toMatch(
      /Work on net profit margin first: \+[\d.]+ percentage points would bring you to the median\./,
    );
    expect(card.summary).not.toMatch(/percentile/);
  });

  it('should name percentiles, intervals, confidence and the peer group to the advisor', () => {
    const card = scorecard([revenue, cost], {}, 'advisor', peers, 'retail');
    expect(card.summary).toContain(
      'Weighted mean performance percentile 75 over 2 metrics (weights revenue_per_employee 1, customer_acquisition_cost 1); peer group: medium-sized retail businesses nationally, n = 120.',
    );
    expect(card.summary).toContain(
      'customer_acquisition_cost: performance percentile 75, lower is better: raw rank 25',
    );
    expect(card.summary).toContain('confidence');
  });
});

describe('weightsProblems', () => {
  const names = ['revenue_per_employee', 'profit_margin'];

  it('should accept no weights, partial weights and zeros beside a default', () => {
    expect(weightsProblems(undefined, names)).toEqual([]);
    expect(weightsProblems({ profit_margin: 0 }, names)).toEqual([]);
    expect(weightsProblems({ profit_margin: 2.5 }, names)).toEqual([]);
  });

  it('should name a weight for a metric not in user_values', () => {
    expect(weightsProblems({ gross_margin: 1 }, names)).toEqual([
      'weights.gross_margin is not a metric of user_values; weights may name only revenue_per_employee, profit_margin',
    ]);
  });

  it('should refuse negative, infinite and non-numeric weights, naming each', () => {
    expect(
      weightsProblems({ profit_margin: -1, revenue_per_employee: '2' }, names),
    ).toEqual([
      'weights.profit_margin must be a finite number >= 0 (got -1)',
      'weights.revenue_per_employee must be a finite number >= 0 (got string)',
    ]);
    expect(weightsProblems({ profit_margin: Infinity }, names)).toHaveLength(1);
  });

  it('should refuse weights that are all 0', () => {
    expect(
      weightsProblems({ profit_margin: 0, revenue_per_employee: 0 }, names),
    ).toEqual([
      'weights must not all be 0: give at least one metric a weight above 0',
    ]);
  });

  it('should refuse a weights value that is not an object', () => {
    expect(weightsProblems([1], names)[0]).toContain(
      'weights must be an object',
    );
  });
});
