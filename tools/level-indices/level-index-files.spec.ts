import { join } from 'node:path';
import { LEVEL_INDICES } from '../../src/data-sources/synthetic/level-index-data';
import { INDUSTRY_PROFILES } from '../../src/data-sources/synthetic/synthetic-profiles';
import { LEVEL_INDEX_SPECS, readLevelIndices } from './level-index-files';

const indices = readLevelIndices(join(__dirname, 'series'));

describe('the level indices shipped', () => {
  it('are exactly what the CSV files give (run npm run level-indices after changing one)', () => {
    expect(LEVEL_INDICES).toEqual(
      Object.fromEntries(indices.map((index) => [index.id, index])),
    );
  });

  it('hold the published values of known months', () => {
    const at = (id: string, month: string) => {
      const index = indices.find((i) => i.id === id)!;
      const [y, m] = month.split('-').map(Number);
      const [y0, m0] = index.first.split('-').map(Number);
      return index.values[(y - y0) * 12 + (m - m0)];
    };
    // Retail and food services sales fell in April 2020; CPI rose 6.5% in the year to December 2022.
    expect(at('RSAFS', '2020-04')).toBe(401028);
    expect(at('RSAFS', '2020-04') / at('RSAFS', '2019-04') - 1).toBeCloseTo(
      -0.197,
      3,
    );
    expect(at('CPIAUCSL', '2022-12')).toBe(298.832);
    // October 2025 was never published: the geometric mean of September and November.
    expect(at('CPIAUCSL', '2025-10')).toBeCloseTo(
      Math.sqrt(324.245 * 325.063),
      9,
    );
    expect(indices.find((i) => i.id === 'AMTMVS')!.first).toBe('2010-01');
  });

  it('cover every index an industry follows, and every one is used', () => {
    const used = new Set([
      'CPIAUCSL',
      ...Object.values(INDUSTRY_PROFILES).map((p) => p.levelIndex),
    ]);
    expect([...used].sort()).toEqual(LEVEL_INDEX_SPECS.map((s) => s.id).sort());
  });
});
