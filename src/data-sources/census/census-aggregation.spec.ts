import {
  cellFigure,
  isFigure,
  type CellFigure,
  type CensusFormula,
  type NoFigure,
} from './census-aggregation';
import { OR_MORE, type CensusRecord, type Measure } from './census-datasets';

const CT = '09';
const NY = '36';
const CA = '06'; // west: never in a northeast figure
const MN = '27'; // midwest

const RECEIPTS_PER_EMPLOYEE: CensusFormula = {
  numerator: 'receipts',
  denominator: 'employees',
  scale: 1000,
};
const PAYROLL_TO_RECEIPTS: CensusFormula = {
  numerator: 'payroll',
  denominator: 'receipts',
  scale: 1,
};

type Figures = Partial<
  Record<'units' | 'employees' | 'payroll' | 'receipts', number | Measure>
>;

const measure = (v: number | Measure | undefined): Measure =>
  typeof v === 'object'
    ? v
    : { value: v ?? null, flag: null, noise: null, rse: null };
const withheld = (flag = 'D'): Measure => ({
  value: null,
  flag,
  noise: null,
  rse: null,
});

/** A record of a class given as [min, max] employees, or 'total'. */
function rec(
  geo: string,
  size: [number, number] | 'total',
  f: Figures,
): CensusRecord {
  const total = size === 'total';
  return {
    geo,
    size: {
      code: total ? '001' : `${size[0]}-${size[1]}`,
      label: total
        ? 'All firms'
        : `Firms with ${size[0]} to ${size[1]} employees`,
      min: total ? 0 : size[0],
      max: total ? OR_MORE : size[1],
      total,
    },
    units: measure(f.units ?? 10),
    employees: measure(f.employees),
    payroll: measure(f.payroll),
    receipts: measure(f.receipts),
  };
}

function figure(result: CellFigure | NoFigure): CellFigure {
  if (!isFigure(result)) throw new Error(`no figure: ${result.reason}`);
  return result;
}

describe('cellFigure', () => {
  it('should divide the sums over states and classes, never average the averages', () => {
    const states = [
      rec(CT, [1, 4], { units: 3, employees: 10, receipts: 1_000 }),
      rec(CT, [5, 9], { units: 2, employees: 14, receipts: 2_000 }),
      rec(NY, [1, 4], { units: 300, employees: 1_000, receipts: 50_000 }),
      rec(NY, [5, 9], { units: 100, employees: 700, receipts: 70_000 }),
      rec(NY, [20, 49], { units: 9, employees: 300, receipts: 99_000 }), // not small
      rec(CA, [1, 4], { units: 900, employees: 5_000, receipts: 9e6 }), // not northeast
    ];
    const f = figure(
      cellFigure(states, [], RECEIPTS_PER_EMPLOYEE, {
        companySize: 'small',
        region: 'northeast',
      }),
    );
    // (1,000 + 2,000 + 50,000 + 70,000) / (10 + 14 + 1,000 + 700) x $1,000
    expect(f.value).toBeCloseTo((123_000 / 1_724) * 1000, 6);
    expect(f.units).toBe(405);
    expect(f.areas).toBe(2);
    expect(f.coverage).toBe(1);
    expect(f.quality).toEqual([]);
  });

  it('should read the U.S. rows nationally and the all-sizes rows for every size', () => {
    const us = [
      rec('us', 'total', {
        units: 50,
        employees: 400,
        payroll: 100,
        receipts: 800,
      }),
      rec('us', [20, 49], {
        units: 5,
        employees: 150,
        payroll: 60,
        receipts: 200,
      }),
    ];
    const states = [
      rec(NY, 'total', { employees: 1, payroll: 1, receipts: 1 }),
    ];
    expect(
      figure(
        cellFigure(states, us, PAYROLL_TO_RECEIPTS, {
          companySize: 'all',
          region: 'national',
        }),
      ).value,
    ).toBe(100 / 800);
    expect(
      figure(
        cellFigure(states, us, PAYROLL_TO_RECEIPTS, {
          companySize: 'medium',
          region: 'national',
        }),
      ).value,
    ).toBe(60 / 200);
  });

  it('should leave the firms with no employees (ABS 611) out of every size, as the bands do', () => {
    const us = [
      rec('us', 'total', {
        units: 100,
        employees: 900,
        payroll: 40_000,
        receipts: 200_000,
      }),
      rec('us', [0, 0], {
        units: 8,
        employees: 0,
        payroll: 4_000,
        receipts: 20_000,
      }),
      rec('us', [1, 4], {
        units: 60,
        employees: 120,
        payroll: 5_000,
        receipts: 30_000,
      }),
    ];
    const all = figure(
      cellFigure([], us, RECEIPTS_PER_EMPLOYEE, {
        companySize: 'all',
        region: 'national',
      }),
    );
    expect(all.value).toBeCloseTo((180_000 / 900) * 1000, 6);
    expect(all.units).toBe(92);
    expect(
      figure(
        cellFigure([], us, PAYROLL_TO_RECEIPTS, {
          companySize: 'all',
          region: 'national',
        }),
      ).value,
    ).toBeCloseTo(36_000 / 180_000, 10);
    // Its receipts withheld: the all-sizes figure cannot be told apart from them.
    const withheldNone = [
      us[0],
      rec('us', [0, 0], {
        units: 8,
        employees: 0,
        payroll: 4_000,
        receipts: withheld(),
      }),
    ];
    expect(
      isFigure(
        cellFigure([], withheldNone, RECEIPTS_PER_EMPLOYEE, {
          companySize: 'all',
          region: 'national',
        }),
      ),
    ).toBe(false);
  });

  it('should count a cell only when numerator and denominator are both published, and fall back under 80% coverage', () => {
    const states = [
      rec(NY, [1, 4], { employees: 900, receipts: 45_000 }),
      // Receipts withheld, employment published: 100 employees known to be missing.
      rec(NY, [5, 9], { employees: 100, receipts: withheld('S') }),
    ];
    const used = figure(
      cellFigure(states, [], RECEIPTS_PER_EMPLOYEE, {
        companySize: 'small',
        region: 'northeast',
      }),
    );
    expect(used.value).toBe(50_000);
    expect(used.coverage).toBeCloseTo(0.9, 10);

    const mostlyWithheld = [
      rec(NY, [1, 4], { employees: 100, receipts: 5_000 }),
      rec(NY, [5, 9], { employees: 900, receipts: withheld() }),
    ];
    const none = cellFigure(mostlyWithheld, [], RECEIPTS_PER_EMPLOYEE, {
      companySize: 'small',
      region: 'northeast',
    });
    expect(isFigure(none)).toBe(false);
    expect((none as NoFigure).reason).toBe(
      'Census publishes only 10% of it (under 80%)',
    );
  });

  it("should bound a class missing from a state by what the state's total leaves beyond its classes", () => {
    // CT has no 5-9 row; its total leaves 1,000 - 100 - 50 = 850 employees unaccounted: under 80% covered.
    const states = [
      rec(NY, [1, 4], { employees: 1_000, receipts: 50_000 }),
      rec(NY, [5, 9], { employees: 500, receipts: 30_000 }),
      rec(CT, 'total', { employees: 1_000, receipts: 90_000 }),
      rec(CT, [1, 4], { employees: 100, receipts: 5_000 }),
      rec(CT, [50, 99], { employees: 50, receipts: 4_000 }),
    ];
    const result = cellFigure(states, [], RECEIPTS_PER_EMPLOYEE, {
      companySize: 'small',
      region: 'northeast',
    });
    expect(isFigure(result)).toBe(false);
    expect((result as NoFigure).reason).toMatch(/publishes only 6\d% of it/);
    // With CT's total all accounted for, nothing is missing.
    const accounted = [
      ...states.slice(0, 2),
      rec(CT, 'total', { employees: 150, receipts: 9_000 }),
      ...states.slice(3),
    ];
    expect(
      figure(
        cellFigure(accounted, [], RECEIPTS_PER_EMPLOYEE, {
          companySize: 'small',
          region: 'northeast',
        }),
      ).coverage,
    ).toBe(1);
  });

  it("should bound a state's withheld employment by its CBP 2017 range letter, not give up on the region", () => {
    const payroll = {
      numerator: 'payroll',
      denominator: 'employees',
      scale: 1000,
    } as const;
    const northDakota = (total: Measure) => [
      rec(MN, [1, 4], { employees: 1_000, payroll: 30_000 }),
      rec(MN, [5, 9], { employees: 500, payroll: 15_000 }),
      // As in the real 2017 capture: all-sizes EMP "0" with EMP_F "a" (0-19 employees); its 5-9 row absent.
      rec('38', 'total', { employees: total, payroll: 500 }),
      rec('38', [1, 4], { employees: 4, payroll: 100 }),
    ];
    const f = figure(
      cellFigure(northDakota(withheld('a')), [], payroll, {
        companySize: 'small',
        region: 'midwest',
      }),
    );
    // At most 19 - 4 = 15 employees are unaccounted for in North Dakota.
    expect(f.coverage).toBeCloseTo(1504 / 1519, 10);
    expect(f.value).toBeCloseTo((45_100 / 1504) * 1000, 6);
    // Without a range letter, nothing bounds North Dakota's missing class: no figure for the region.
    expect(
      cellFigure(northDakota(withheld('D')), [], payroll, {
        companySize: 'small',
        region: 'midwest',
      }),
    ).toEqual({ reason: 'Census publishes only 0% of it (under 80%)' });
  });

  it('should say when every cell is withheld, and when no class lies in the range', () => {
    const withheldOnly = [
      rec(NY, [1, 4], { employees: withheld(), receipts: withheld() }),
    ];
    expect(
      cellFigure(withheldOnly, [], RECEIPTS_PER_EMPLOYEE, {
        companySize: 'small',
        region: 'northeast',
      }),
    ).toEqual({
      reason: 'Census withholds or does not publish every cell of it',
    });
    expect(
      cellFigure(withheldOnly, [], RECEIPTS_PER_EMPLOYEE, {
        companySize: 'large',
        region: 'northeast',
      }),
    ).toEqual({ reason: 'Census publishes no size class within this range' });
  });

  it("should name CBP's high-noise flag J and unknown flags, and ignore G and H", () => {
    const noisy = (noise: string): Measure => ({
      value: 500,
      flag: null,
      noise,
      rse: null,
    });
    const states = [
      rec(NY, [1, 4], { employees: noisy('G'), payroll: noisy('H') }),
      rec(NY, [5, 9], { employees: noisy('J'), payroll: noisy('Q') }),
    ];
    const f = figure(
      cellFigure(
        states,
        [],
        { numerator: 'payroll', denominator: 'employees', scale: 1000 },
        { companySize: 'small', region: 'northeast' },
      ),
    );
    expect([...f.quality].sort()).toEqual([
      'flag J, high noise: 5% or more noise infused to protect confidentiality',
      'flag Q, a noise flag not documented here',
    ]);
  });

  it("should warn over 20% relative standard error, refuse over 50%, and combine the cells' errors", () => {
    const est = (value: number, rse: number): Measure => ({
      value,
      flag: null,
      noise: null,
      rse,
    });
    const at = (rse: number) =>
      cellFigure(
        [
          rec(NY, [1, 4], { employees: 100, receipts: est(1_000, rse) }),
          rec(NY, [5, 9], { employees: 100, receipts: est(1_000, rse) }),
        ],
        [],
        RECEIPTS_PER_EMPLOYEE,
        { companySize: 'small', region: 'northeast' },
      );
    // Two equal cells: the sum's error is the cells' over sqrt(2).
    expect(figure(at(25)).quality).toEqual([]);
    expect(figure(at(40)).quality).toEqual([
      'relative standard error about 28% (over 20%): a rough estimate',
    ]);
    expect(at(80)).toEqual({
      reason: 'its relative standard error is 57% (over 50%)',
    });
  });

  it('should give no firm count when a used cell withholds its count', () => {
    const f = figure(
      cellFigure(
        [
          rec(NY, [1, 4], { units: 40, employees: 100, receipts: 9_000 }),
          rec(NY, [5, 9], {
            units: withheld(),
            employees: 50,
            receipts: 1_000,
          }),
        ],
        [],
        RECEIPTS_PER_EMPLOYEE,
        { companySize: 'small', region: 'northeast' },
      ),
    );
    expect(f.units).toBeNull();
    expect(f.value).toBeCloseTo((10_000 / 150) * 1000, 6);
  });
});
