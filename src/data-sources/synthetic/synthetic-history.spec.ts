import { monthOf } from '../../domain/months';
import { HISTORIES, historiesOf, historyFactor } from './synthetic-history';

describe('synthetic histories', () => {
  const [hotels] = historiesOf('hospitality', 'occupancy_rate');

  it('should be 1 outside the anchored span and the anchor itself at an anchor', () => {
    expect(historyFactor(hotels, monthOf(2019, 6))).toBe(1);
    expect(historyFactor(hotels, monthOf(2024, 6))).toBe(1);
    expect(historyFactor(hotels, monthOf(2020, 4))).toBe(0.374);
  });

  it('should interpolate linearly between anchors', () => {
    // August 2020 0.72, October 0.7: September halfway.
    expect(historyFactor(hotels, monthOf(2020, 9))).toBeCloseTo(0.71, 10);
  });

  it('should anchor every history in time order, on at least one published figure, ending back on the trend', () => {
    for (const histories of Object.values(HISTORIES))
      for (const h of histories) {
        const months = h.anchors.map(([y, m]) => monthOf(y, m));
        expect(months).toEqual([...months].sort((a, b) => a - b));
        expect(new Set(months).size).toBe(months.length);
        expect(h.anchors[h.anchors.length - 1][2]).toBe(1);
        expect(h.anchors.some(([, , , kind]) => kind === 'published')).toBe(
          true,
        );
      }
  });

  it('should keep a change of level before its first anchor (the 2022 restaurant inflation)', () => {
    const [inflation] = historiesOf('restaurant', 'revenue_per_employee');
    expect(historyFactor(inflation, monthOf(2019, 4))).toBeCloseTo(
      1 / 1.038,
      12,
    );
    expect(historyFactor(inflation, monthOf(2022, 6))).toBeGreaterThan(
      1 / 1.038,
    );
    expect(historyFactor(inflation, monthOf(2024, 1))).toBe(1);
    expect(historiesOf('restaurant', 'revenue_per_employee')).toHaveLength(2);
  });

  it('should have no history for a metric without one', () => {
    expect(historiesOf('retail', 'profit_margin')).toEqual([]);
    expect(historiesOf('nowhere', 'revenue_per_employee')).toEqual([]);
  });
});
