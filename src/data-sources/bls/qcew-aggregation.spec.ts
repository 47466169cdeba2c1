import type { BlsObservation } from './bls-response';
import {
  type Aggregate,
  type AreaSeries,
  annualPay,
  employmentGrowth,
  weeklyWage,
} from './qcew-aggregation';

const obs = (
  year: number,
  period: string,
  value: number | null,
): BlsObservation => ({ year, period, value, footnoteCodes: [] });

/** Monthly employment M01..M12 of a year (a single number means every month). */
function months(
  year: number,
  values: number | readonly (number | null)[],
): BlsObservation[] {
  const list =
    typeof values === 'number' ? Array<number>(12).fill(values) : values;
  return list.map((v: number | null, i) =>
    obs(year, `M${String(i + 1).padStart(2, '0')}`, v),
  );
}

/** Quarterly total wages Q01..Q04 of a year, in thousands of dollars (a single number means every quarter). */
function quarters(
  year: number,
  values: number | readonly (number | null)[],
): BlsObservation[] {
  const list =
    typeof values === 'number' ? Array<number>(4).fill(values) : values;
  return list.map((v: number | null, i) => obs(year, `Q0${i + 1}`, v));
}

const area = (
  code: string,
  employment: BlsObservation[],
  wages: BlsObservation[] = [],
): AreaSeries => ({ area: code, employment, wages });

function expectAggregate(
  result: Aggregate | undefined,
  value: number,
  areas: number,
  excluded: string[] = [],
): void {
  expect(result).toBeDefined();
  expect(result!.value).toBeCloseTo(value, 6);
  expect(result!.areas).toBe(areas);
  expect(result!.excluded).toEqual(excluded);
}

describe('qcew-aggregation', () => {
  describe('annualPay', () => {
    it('should divide the year total wages (thousands of dollars) by the mean monthly employment', () => {
      // 4 x 100 thousand dollars = $400,000 over 10 employees.
      const result = annualPay(
        [area('US000', months(2024, 10), quarters(2024, 100))],
        2024,
      );
      expectAggregate(result, 40_000, 1);
    });

    it('should average employment over all twelve months', () => {
      // Employment 6..17: mean 11.5. Wages 115 x 4 = $460,000. 460,000 / 11.5 = 40,000.
      const employment = months(
        2024,
        [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
      );
      const result = annualPay(
        [area('26000', employment, quarters(2024, 115))],
        2024,
      );
      expectAggregate(result, 40_000, 1);
    });

    it('should sum wages and employment over areas and divide once, not average the averages', () => {
      // A: $400,000 / 10 = 40,000. B: $1,800,000 / 90 = 20,000. Average of averages: 30,000.
      // Ratio of sums: $2,200,000 / 100 = 22,000.
      const result = annualPay(
        [
          area('26000', months(2024, 10), quarters(2024, 100)),
          area('39000', months(2024, 90), quarters(2024, 450)),
        ],
        2024,
      );
      expectAggregate(result, 22_000, 2);
      expect(result!.value).not.toBeCloseTo(30_000, 0);
    });

    it('should use only the requested year', () => {
      const result = annualPay(
        [
          area(
            'US000',
            [...months(2024, 20), ...months(2023, 10)],
            [...quarters(2024, 300), ...quarters(2023, 100)],
          ),
        ],
        2023,
      );
      expectAggregate(result, 40_000, 1);
    });

    it('should exclude and name an area with a suppressed month, and still sum the others', () => {
      const suppressed = months(2024, 50).map((o) =>
        o.period === 'M07' ? { ...o, value: null } : o,
      );
      const result = annualPay(
        [
          area('26000', months(2024, 10), quarters(2024, 100)),
          area('39000', suppressed, quarters(2024, 1000)),
          area('17000', months(2024, 30), quarters(2024, 150)),
        ],
        2024,
      );
      // 26000 and 17000: $1,000,000 / 40 = 25,000.
      expectAggregate(result, 25_000, 2, ['39000']);
    });

    it('should exclude and name an area with a suppressed quarter', () => {
      const result = annualPay(
        [
          area('26000', months(2024, 10), quarters(2024, 100)),
          area(
            '39000',
            months(2024, 90),
            quarters(2024, [450, 450, null, 450]),
          ),
        ],
        2024,
      );
      expectAggregate(result, 40_000, 1, ['39000']);
    });

    it('should exclude an area with a month missing altogether', () => {
      const result = annualPay(
        [
          area('26000', months(2024, 10), quarters(2024, 100)),
          area('39000', months(2024, 90).slice(0, 11), quarters(2024, 450)),
        ],
        2024,
      );
      expectAggregate(result, 40_000, 1, ['39000']);
    });

    it('should be undefined when no area has the year (not published yet)', () => {
      const areas = [
        area('26000', months(2023, 10), quarters(2023, 100)),
        area('39000', months(2023, 90), quarters(2023, 450)),
      ];
      expect(annualPay(areas, 2024)).toBeUndefined();
      expect(annualPay(areas, 2023)).toBeDefined();
    });

    it('should be undefined when every area is suppressed, or there are no areas', () => {
      const allNull = Array<number | null>(12).fill(null);
      expect(
        annualPay(
          [area('26000', months(2024, allNull), quarters(2024, 100))],
          2024,
        ),
      ).toBeUndefined();
      expect(annualPay([], 2024)).toBeUndefined();
    });
  });

  describe('weeklyWage', () => {
    it("should divide the quarter's wages by the mean of its three months and by 13 weeks", () => {
      // Q2: M04-M06 = 10, 20, 30 (mean 20); Q02 = $260,000. 260,000 / 20 / 13 = 1,000.
      // The other months and quarters hold very different numbers that must not be used.
      const employment = months(
        2024,
        [500, 500, 500, 10, 20, 30, 500, 500, 500, 500, 500, 500],
      );
      const result = weeklyWage(
        [area('US000', employment, quarters(2024, [9999, 260, 9999, 9999]))],
        2024,
        2,
      );
      expectAggregate(result, 1_000, 1);
    });

    it('should use October to December for the fourth quarter', () => {
      // M10-M12 = 40, 50, 60 (mean 50); Q04 = $1,300,000. 1,300,000 / 50 / 13 = 2,000.
      const employment = months(2024, [1, 1, 1, 1, 1, 1, 1, 1, 1, 40, 50, 60]);
      const result = weeklyWage(
        [area('US000', employment, quarters(2024, [1, 1, 1, 1300]))],
        2024,
        4,
      );
      expectAggregate(result, 2_000, 1);
    });

    it('should sum over areas and divide once, not average the weekly wages', () => {
      // A: $130,000 / 10 / 13 = 1,000. B: $780,000 / 30 / 13 = 2,000. Average of averages: 1,500.
      // Ratio of sums: $910,000 / 40 / 13 = 1,750.
      const result = weeklyWage(
        [
          area('26000', months(2024, 10), quarters(2024, 130)),
          area('39000', months(2024, 30), quarters(2024, 780)),
        ],
        2024,
        1,
      );
      expectAggregate(result, 1_750, 2);
      expect(result!.value).not.toBeCloseTo(1_500, 0);
    });

    it('should exclude an area with a suppressed month of the quarter, but not one suppressed outside it', () => {
      const inQuarter = months(2024, 30).map((o) =>
        o.period === 'M02' ? { ...o, value: null } : o,
      );
      const outsideQuarter = months(2024, 30).map((o) =>
        o.period === 'M08' ? { ...o, value: null } : o,
      );
      const result = weeklyWage(
        [
          area('26000', months(2024, 10), quarters(2024, 130)),
          area('39000', inQuarter, quarters(2024, 780)),
          area('17000', outsideQuarter, quarters(2024, 780)),
        ],
        2024,
        1,
      );
      expectAggregate(result, 1_750, 2, ['39000']);
    });

    it("should exclude an area whose quarter's wages are suppressed", () => {
      const result = weeklyWage(
        [
          area('26000', months(2024, 10), quarters(2024, 130)),
          area(
            '39000',
            months(2024, 30),
            quarters(2024, [null, 780, 780, 780]),
          ),
        ],
        2024,
        1,
      );
      expectAggregate(result, 1_000, 1, ['39000']);
    });

    it('should be undefined when the quarter is not published', () => {
      const areas = [
        area('26000', months(2024, 10), quarters(2024, [130, 130, 130])),
      ];
      expect(weeklyWage(areas, 2024, 4)).toBeUndefined();
      expect(weeklyWage(areas, 2024, 3)).toBeDefined();
    });
  });

  describe('employmentGrowth', () => {
    it('should return the ratio of mean employment to the year before, minus 1', () => {
      const result = employmentGrowth(
        [area('US000', [...months(2024, 110), ...months(2023, 100)])],
        2024,
      );
      expectAggregate(result, 0.1, 1);
    });

    it('should be negative when employment fell', () => {
      const result = employmentGrowth(
        [area('US000', [...months(2024, 95), ...months(2023, 100)])],
        2024,
      );
      expectAggregate(result, -0.05, 1);
    });

    it('should sum employment over areas, not average the growth rates', () => {
      // A: 10 -> 20 (+100%). B: 90 -> 90 (0%). Average of rates: +50%. Ratio of sums: 110 / 100 - 1 = +10%.
      const result = employmentGrowth(
        [
          area('26000', [...months(2024, 20), ...months(2023, 10)]),
          area('39000', [...months(2024, 90), ...months(2023, 90)]),
        ],
        2024,
      );
      expectAggregate(result, 0.1, 2);
      expect(result!.value).not.toBeCloseTo(0.5, 2);
    });

    it('should use the same areas in both years, excluding one incomplete in either year', () => {
      const suppressedLastYear = months(2023, 1000).map((o) =>
        o.period === 'M03' ? { ...o, value: null } : o,
      );
      const result = employmentGrowth(
        [
          area('26000', [...months(2024, 20), ...months(2023, 10)]),
          area('39000', [...months(2024, 90), ...months(2023, 90)]),
          area('17000', [...months(2024, 5000), ...suppressedLastYear]),
          area('18000', months(2023, 40)), // 2024 not there at all
        ],
        2024,
      );
      expectAggregate(result, 0.1, 2, ['17000', '18000']);
    });

    it('should be undefined when no area has both years', () => {
      expect(
        employmentGrowth(
          [area('26000', months(2024, 20)), area('39000', months(2023, 90))],
          2024,
        ),
      ).toBeUndefined();
    });
  });
});
