/**
 * The Census Data API's answers as the real API sends them (../shared/reference/census-api.md §1.2-1.4): a JSON array
 * of arrays whose row 0 is the header, every value a string or null, predicate columns echoed (a variable asked for
 * and filtered on appears twice), geography columns last, rows unsorted; 204 with an empty body for no rows; 400 with
 * a plain-text `error: ...` for a request the API does not understand; 404 (an HTML page) for a vintage not
 * published; a 302 to `missing_key.html` or `invalid_key.html`, or the `X-DataWebAPI-KeyError` header, for a key
 * problem.
 */

/** One value of a data row: the API sends every number as a string, and an empty flag as null. */
export type CensusCell = string | null;

/** A parsed 200 answer: the header and the data rows, each as wide as the header. */
export class CensusTable {
  private readonly index = new Map<string, number>();

  constructor(
    readonly header: readonly string[],
    readonly rows: ReadonlyArray<readonly CensusCell[]>,
  ) {
    // A predicate asked for in `get=` too comes back twice, with the same value: the first column is the one.
    header.forEach((name, i) => {
      if (!this.index.has(name)) this.index.set(name, i);
    });
  }

  /** Whether the answer has a column of that name. */
  has(column: string): boolean {
    return this.index.has(column);
  }

  /** The value of a column in a row (first column of that name); undefined when the answer has no such column. */
  cell(row: readonly CensusCell[], column: string): CensusCell | undefined {
    const i = this.index.get(column);
    return i === undefined ? undefined : row[i];
  }
}

/** The body of a 200 answer is not what the API sends (not JSON, not an array of string rows, ragged rows). */
export class CensusFormatError extends Error {
  constructor(detail: string) {
    super(`the Census API answered with an unreadable body: ${detail}`);
    this.name = 'CensusFormatError';
  }
}

/** Parses a 200 body; throws {@link CensusFormatError} for anything but a header row and rows as wide as it. */
export function parseCensusTable(text: string): CensusTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const start = text.trimStart().slice(0, 1);
    throw new CensusFormatError(
      start === '<' ? 'an HTML page, not JSON' : 'not JSON',
    );
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new CensusFormatError('not an array of rows');
  const [header, ...rows] = parsed as unknown[];
  if (
    !Array.isArray(header) ||
    header.length === 0 ||
    !header.every((h) => typeof h === 'string')
  )
    throw new CensusFormatError('no header row of column names');
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== header.length)
      throw new CensusFormatError(
        `row ${i + 1} is not as wide as the header (${header.length} columns)`,
      );
    if (!row.every((v) => v === null || typeof v === 'string'))
      throw new CensusFormatError(
        `row ${i + 1} holds a value that is neither a string nor null`,
      );
  });
  return new CensusTable(header, rows as ReadonlyArray<readonly CensusCell[]>);
}

/** How the API answered one request, read from its status, headers and body. */
export type CensusOutcome =
  | { readonly kind: 'rows'; readonly table: CensusTable }
  /** 204: the query is valid and nothing is published for it (or no such code: the API does not say which). */
  | { readonly kind: 'empty' }
  /** 404: the vintage (or dataset) is not published. */
  | { readonly kind: 'not_published' }
  /** A missing or refused key: never retried, never followed. */
  | { readonly kind: 'key_error'; readonly which: 'missing' | 'invalid' }
  /** 400: the API does not understand the request (unknown variable, predicate, geography): a bug, not retried. */
  | { readonly kind: 'request_error'; readonly message: string }
  /** 429, 5xx, or a 200 whose body is not a table: worth a retry. */
  | { readonly kind: 'transient'; readonly message: string };

/** The parts of an HTTP answer {@link classifyCensusAnswer} reads. */
export interface CensusHttpAnswer {
  readonly status: number;
  /** Header lookup, case-insensitive (as the Fetch API's Headers.get). */
  readonly header: (name: string) => string | null;
  readonly body: string;
}

/** The header the API sets on a key refusal. */
export const KEY_ERROR_HEADER = 'X-DataWebAPI-KeyError';

/** Where a redirect points, without its query (which may echo the key). */
function redirectTarget(location: string): string {
  if (location === '') return 'nowhere said';
  return location.split('?')[0];
}

/** Classifies one answer (see {@link CensusOutcome}); never throws. */
export function classifyCensusAnswer(answer: CensusHttpAnswer): CensusOutcome {
  const { status, body } = answer;
  const location = answer.header('location') ?? '';
  if (answer.header(KEY_ERROR_HEADER) !== null || /_key\.html/.test(location))
    return {
      kind: 'key_error',
      which: /missing_key/.test(location) ? 'missing' : 'invalid',
    };
  if (status >= 300 && status < 400)
    // Any other redirect is not the API answering (an http:// URL sent to https://, a moved host): never followed,
    // never retried, and said as it is, so that CENSUS_API_URL gets checked rather than the key.
    return {
      kind: 'request_error',
      message: `HTTP ${status}: redirected to ${redirectTarget(location)} (check CENSUS_API_URL)`,
    };
  if (status === 204) return { kind: 'empty' };
  if (status === 404) return { kind: 'not_published' };
  if (status === 429 || status >= 500)
    return { kind: 'transient', message: `HTTP ${status}` };
  if (status >= 400)
    return {
      kind: 'request_error',
      message: `HTTP ${status}: ${firstLine(body)}`,
    };
  if (status !== 200)
    return { kind: 'transient', message: `unexpected HTTP ${status}` };
  if (/<h1>\s*(missing|invalid) key/i.test(body))
    // Before 2026 a refused key came back as a 200 HTML page.
    return {
      kind: 'key_error',
      which: /missing/i.test(body) ? 'missing' : 'invalid',
    };
  if (body.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'rows', table: parseCensusTable(body) };
  } catch (error) {
    return { kind: 'transient', message: (error as Error).message };
  }
}

/** The first line of an error text, without HTML tags, at most 200 characters. */
function firstLine(body: string): string {
  const plain = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (plain || 'no message').slice(0, 200);
}

/** The variable a 400 `unknown variable 'X'` names, or undefined for another error text. */
export function unknownVariableOf(message: string): string | undefined {
  return /unknown variable '([^']+)'/.exec(message)?.[1];
}

/** The variable a 400 `unknown predicate variable: 'X'` names, or undefined for another error text. */
export function unknownPredicateOf(message: string): string | undefined {
  return /unknown predicate variable:?\s*'([^']+)'/.exec(message)?.[1];
}
