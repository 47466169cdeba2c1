import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LevelIndex } from '../../src/data-sources/synthetic/level-indices';
import { type LevelIndexSpec, parseLevelIndexCsv } from './level-index-csv';

/** The series imported, each from `series/<id>.csv`; SOURCES.md there says where each file was copied from. */
export const LEVEL_INDEX_SPECS: readonly LevelIndexSpec[] = [
  {
    id: 'RSAFS',
    title: 'Advance Retail Sales: Retail Trade and Food Services',
    publisher:
      'U.S. Census Bureau, Monthly Retail Trade Survey, seasonally adjusted; via FRED (Federal Reserve Bank of St. Louis)',
    units: 'millions of dollars',
    kind: 'sales',
    vintage: 'FRED download of about December 2025',
  },
  {
    id: 'AMTMVS',
    title: "Manufacturers' Value of Shipments: Total Manufacturing",
    publisher:
      "U.S. Census Bureau, Manufacturers' Shipments, Inventories and Orders (M3), seasonally adjusted; via FRED",
    units: 'millions of dollars',
    kind: 'sales',
    vintage: 'FRED download of about June 2025, from 2010 only',
  },
  {
    id: 'TTLCONS',
    title:
      'Total Construction Spending: Total Construction in the United States',
    publisher:
      'U.S. Census Bureau, Construction Spending (C30), seasonally adjusted annual rate; via FRED',
    units: 'millions of dollars, annual rate',
    kind: 'sales',
    vintage:
      'FRED download of 2026-07-13 (after the July 2026 annual revision)',
  },
  {
    id: 'CPIAUCSL',
    title:
      'Consumer Price Index for All Urban Consumers: All Items in U.S. City Average',
    publisher:
      'U.S. Bureau of Labor Statistics, CPI-U, seasonally adjusted; via FRED',
    units: 'index 1982-1984 = 100',
    kind: 'prices',
    unpublished: ['2025-10'],
    vintage: 'FRED download of 2026-09-28',
  },
  {
    id: 'CUSR0000SEFV',
    title:
      'Consumer Price Index for All Urban Consumers: Food Away from Home in U.S. City Average',
    publisher:
      'U.S. Bureau of Labor Statistics, CPI-U, seasonally adjusted; via FRED',
    units: 'index 1982-1984 = 100',
    kind: 'prices',
    unpublished: ['2025-10'],
    vintage:
      'FRED downloads of December 2023 (2000-2009) and about September 2026 (2010 on), equal over the 167 months both hold',
  },
];

/** Every series of LEVEL_INDEX_SPECS, parsed and checked, from the folder of their CSV files. */
export function readLevelIndices(dir: string): LevelIndex[] {
  return LEVEL_INDEX_SPECS.map((spec) =>
    parseLevelIndexCsv(spec, readFileSync(join(dir, `${spec.id}.csv`), 'utf8')),
  );
}

/** The data module's text (formatted by prettier when the tool writes it). */
export function levelIndexModule(indices: readonly LevelIndex[]): string {
  const entries = indices
    .map((index) => `  ${index.id}: ${JSON.stringify(index)},`)
    .join('\n');
  return `// Written by \`npm run level-indices\` from tools/level-indices/series/*.csv: do not edit by hand.
import type { LevelIndex } from './level-indices';

/** The published series the generator's dollar metrics follow (see level-indices.ts and FIDELITY.md). */
export const LEVEL_INDICES: Readonly<Record<string, LevelIndex>> = {
${entries}
};

/** The price index wages and acquisition costs follow, and industries without a sales series of their own. */
export const PRICES_INDEX = 'CPIAUCSL';
`;
}
