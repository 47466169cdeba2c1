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

  it('should leave to the level indices what a published monthly series carries, and keep a last anchor', () => {
    // Retail's April 2020 and restaurants' 2022 prices are in their published series (level-indices.ts).
    expect(historiesOf('retail', 'revenue_per_employee')).toEqual([]);
    expect(historiesOf('restaurant', 'revenue_per_employee')).toHaveLength(1);
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
