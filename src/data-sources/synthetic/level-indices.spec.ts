import { monthOf } from '../../domain/months';
import {
  lastMonthOf,
  levelFactor,
  levelIndexNote,
  meanAnnualGrowth,
  type LevelIndex,
} from './level-indices';
import { BASE_MONTH } from './synthetic-profiles';

/** A series from January 2000 to December 2024 growing exactly 2% a year, with a dip in April 2020. */
function series(kind: LevelIndex['kind']): LevelIndex {
  const values = Array.from({ length: 25 * 12 }, (_x, i) => {
    const month = monthOf(2000, 1) + i;
    return 100 * 1.02 ** (i / 12) * (month === monthOf(2020, 4) ? 0.8 : 1);
  });
  return {
    id: 'TEST',
    title: 'a test series',
    publisher: 'nobody',
    units: 'index',
    kind,
    vintage: 'a test',
    first: '2000-01',
    values,
  };
}

describe('levelFactor', () => {
  it('is 1 in the base month and follows a sales series month by month, shocks included', () => {
    const index = series('sales');
    expect(levelFactor(index, BASE_MONTH, 0.05)).toBeCloseTo(1, 12);
    const april = levelFactor(index, monthOf(2020, 4), 0.05);
    const march = levelFactor(index, monthOf(2020, 3), 0.05);
    expect(april / march).toBeCloseTo(0.8 * 1.02 ** (1 / 12), 10);
    expect(levelFactor(index, monthOf(2000, 1), 0.05)).toBeCloseTo(
      1 / 1.02 ** 24,
      10,
    );
  });

  it('carries a sales series on at the metric growth after its last month', () => {
    const index = series('sales');
    const last = lastMonthOf(index);
    expect(last).toBe(monthOf(2024, 12));
    expect(
      levelFactor(index, last + 24, 0.05) / levelFactor(index, last, 0.05),
    ).toBeCloseTo(1.05 ** 2, 10);
  });

  it('puts a modelled real growth on a price index, so the metric grows at its nominal rate on average', () => {
    const index = series('prices');
    expect(meanAnnualGrowth(index)).toBeCloseTo(0.02, 10);
    const factor2000 = levelFactor(index, monthOf(2000, 1), 0.05);
    // 24 years at 5% nominal: the published 2% of prices and a modelled 2.94% of real growth.
    expect(factor2000).toBeCloseTo(1 / 1.05 ** 24, 10);
    // The shock of the price series is kept.
    const ratio =
      levelFactor(index, monthOf(2020, 4), 0.05) /
      levelFactor(index, monthOf(2020, 3), 0.05);
    expect(ratio).toBeCloseTo(0.8 * 1.05 ** (1 / 12), 10);
    // After the last month prices go on at their mean inflation, real growth at its rate: 5% in all.
    const last = lastMonthOf(index);
    expect(
      levelFactor(index, last + 12, 0.05) / levelFactor(index, last, 0.05),
    ).toBeCloseTo(1.05, 10);
  });

  it('says in the metadata what is published and what is modelled', () => {
    const note = levelIndexNote(series('prices'), 0.05);
    expect(note).toMatchObject({
      series: 'TEST',
      published_from: '2000-01-01',
      published_through: '2024-12-01',
    });
    expect(note.use).toContain('real growth is modelled at 2.9% a year');
    expect(levelIndexNote(series('sales'), 0.05).use).toContain(
      'after 2024-12-01 it is modelled at 5.0% a year',
    );
  });
});
