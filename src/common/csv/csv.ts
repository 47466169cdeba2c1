/** CSV (RFC 4180) encoding, for the endpoints that answer CSV when asked. */

/** A CSV cell before encoding: null is an empty cell. */
export type CsvValue = string | number | boolean | null;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell, RFC 4180: quoted (with quotes doubled) when it holds a comma, a quote, CR or LF. A string that a
 * spreadsheet would take for a formula gets a leading `'` first (numbers are written as numbers, so -0.02 stays a
 * number).
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: the header row, then one line per row, each ended by CRLF (RFC 4180). */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<readonly CsvValue[]>,
): string {
  return [header, ...rows]
    .map((row) => `${row.map(csvCell).join(',')}\r\n`)
    .join('');
}
