import { monthOf } from '../../domain/months';
import { HISTORIES, historiesOf, historyFactor } from './synthetic-history';

describe('synthetic histories', () => {
  const [hotels] = historiesOf('hospitality', 'occupancy_rate');

  it('should be 1 before and after the anchored span of the hotels (it ends on the trend), the anchor itself at an anchor', () => {
    expect(historyFactor(hotels, monthOf(2019, 6))).toBe(1);
    expect(historyFactor(hotels, monthOf(2024, 6))).toBe(1);
    expect(historyFactor(hotels, monthOf(2020, 4))).toBe(0.374);
  });

  it('should interpolate linearly between anchors', () => {
    // August 2020 0.72, October 0.7: September halfway.
    expect(historyFactor(hotels, monthOf(2020, 9))).toBeCloseTo(0.71, 10);
  });

  it('should anchor every history in time order on a named published source, ending back on the trend', () => {
    for (const histories of Object.values(HISTORIES))
      for (const h of histories) {
        const months = h.anchors.map(([y, m]) => monthOf(y, m));
        expect(months).toEqual([...months].sort((a, b) => a - b));
        expect(new Set(months).size).toBe(months.length);
        expect(h.anchors[h.anchors.length - 1][2]).toBe(1);
        // Its basis names the published source; its anchors say which are published (the room-rate history is
        // derived from STR's year figures, its months all modelled).
        expect(h.basis).toMatch(/\b(STR|Census|BLS CPI|RealPage)\b/);
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
    // After its last anchor a history keeps that anchor's level.
    expect(
      historyFactor(
        {
          metrics: [],
          basis: '',
          anchors: [
            [2020, 1, 1, 'modelled'],
            [2020, 3, 1.1, 'modelled'],
          ],
        },
        monthOf(2021, 1),
      ),
    ).toBe(1.1);
  });

  it('should have no history for a metric without one', () => {
    expect(historiesOf('retail', 'profit_margin')).toEqual([]);
    expect(historiesOf('nowhere', 'revenue_per_employee')).toEqual([]);
  });
});
