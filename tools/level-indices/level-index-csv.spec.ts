import { parseLevelIndexCsv, type LevelIndexSpec } from './level-index-csv';

const spec: LevelIndexSpec = {
  id: 'RSAFS',
  title: 'Advance Retail Sales: Retail Trade and Food Services',
  publisher: 'Census',
  units: 'millions of dollars',
  kind: 'sales',
  vintage: 'a test',
};

// Rows as FRED wrote them (RSAFS, copied from a FRED download: 1999-12 to 2000-03).
const RSAFS = `observation_date,RSAFS
1999-12-01,263311
2000-01-01,261545
2000-02-01,265686
2000-03-01,269019
`;

const year = (from: number) =>
  Array.from(
    { length: 12 },
    (_x, i) => `2000-${String(i + 1).padStart(2, '0')}-01,${from + i}`,
  );

describe('parseLevelIndexCsv', () => {
  it('keeps the months from January 2000, in order', () => {
    const csv = ['observation_date,RSAFS', '1999-12-01,263311', ...year(1)];
    const index = parseLevelIndexCsv(spec, csv.join('\n'));
    expect(index.first).toBe('2000-01');
    expect(index.values).toEqual(Array.from({ length: 12 }, (_x, i) => i + 1));
  });

  it('reads the rows of a real download', () => {
    const csv = RSAFS + year(270_000).slice(3).join('\n');
    expect(parseLevelIndexCsv(spec, csv).values.slice(0, 3)).toEqual([
      261545, 265686, 269019,
    ]);
  });

  it('refuses a missing month, naming it', () => {
    const rows = year(1);
    rows.splice(4, 1);
    expect(() =>
      parseLevelIndexCsv(spec, ['observation_date,RSAFS', ...rows].join('\n')),
    ).toThrow('RSAFS: 2000-05 is missing (next row is 2000-06)');
  });

  it("refuses FRED's missing value and a header of another series", () => {
    const rows = year(1);
    rows[2] = '2000-03-01,.';
    expect(() =>
      parseLevelIndexCsv(spec, ['observation_date,RSAFS', ...rows].join('\n')),
    ).toThrow('RSAFS 2000-03: "." is not a positive number');
    expect(() =>
      parseLevelIndexCsv(
        spec,
        ['observation_date,TTLCONS', ...year(1)].join('\n'),
      ),
    ).toThrow('the header must be "observation_date,RSAFS"');
  });
});
