import type { LevelIndex } from '../../src/data-sources/synthetic/level-indices';

/** What the project imports of a published series: everything but its values, which come from its CSV file. */
export type LevelIndexSpec = Omit<LevelIndex, 'first' | 'values'>;

/** The first month kept: the service answers from January 2000. */
export const FIRST_MONTH = '2000-01';

/**
 * The series of FRED's CSV download (`observation_date,<ID>` then `YYYY-MM-01,value`), from FIRST_MONTH (or its
 * first row after it) on. Refuses a wrong header, a value that is not a positive number (FRED writes a missing one
 * as `.`), a day other than the first, and a month missing or repeated: an index with a gap would shift every later
 * month. The exception is a month the spec lists as `unpublished` (the agency never published it): it is filled
 * geometrically between its neighbours, and stays listed in the index.
 */
export function parseLevelIndexCsv(
  spec: LevelIndexSpec,
  csv: string,
): LevelIndex {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift();
  const expected = [`observation_date,${spec.id}`, `DATE,${spec.id}`];
  if (!header || !expected.includes(header.trim()))
    throw new Error(
      `${spec.id}: the header must be "${expected[0]}", got "${header ?? ''}"`,
    );
  const values: number[] = [];
  const unpublished = new Set(spec.unpublished ?? []);
  let previous: string | undefined;
  let first: string | undefined;
  for (const [i, line] of lines.entries()) {
    const [date, raw] = line.split(',');
    const match = /^(\d{4})-(\d{2})-01$/.exec(date ?? '');
    if (!match)
      throw new Error(`${spec.id} line ${i + 2}: "${date}" is not YYYY-MM-01`);
    const month = `${match[1]}-${match[2]}`;
    if (month < FIRST_MONTH) continue;
    const value = Number(raw);
    if (!raw || !Number.isFinite(value) || value <= 0)
      throw new Error(
        `${spec.id} ${month}: "${raw}" is not a positive number (a missing value?)`,
      );
    first ??= month;
    let wanted = previous === undefined ? month : nextMonth(previous);
    if (month !== wanted && unpublished.has(wanted) && values.length > 0) {
      // Never published: the geometric mean of the months either side.
      values.push(Math.sqrt(values[values.length - 1] * value));
      unpublished.delete(wanted);
      wanted = nextMonth(wanted);
    }
    if (month !== wanted)
      throw new Error(
        `${spec.id}: ${wanted} is missing (next row is ${month})`,
      );
    values.push(value);
    previous = month;
  }
  if (values.length < 12 || first === undefined)
    throw new Error(`${spec.id}: fewer than 12 months from ${FIRST_MONTH}`);
  if (unpublished.size > 0)
    throw new Error(
      `${spec.id}: ${[...unpublished].join(', ')} listed as unpublished but not missing`,
    );
  return { ...spec, first, values };
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
