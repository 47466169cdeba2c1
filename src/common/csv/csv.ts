import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { setDataWarningsHeader } from '../../http/data-warnings';

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

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').flatMap((part) => {
    const [range, ...params] = part.trim().split(';');
    const [type, subtype] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) return [];
    const qParam = params
      .map((p) => p.trim().toLowerCase())
      .find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) ? [{ type, subtype, q }] : [];
  });
}

/** The q and specificity (3 exact, 2 type/*, 1 * /*, 0 none) of the most specific range matching `type/subtype`. */
function preference(
  ranges: readonly MediaRange[],
  type: string,
  subtype: string,
): { q: number; specificity: number } {
  let best = { q: 0, specificity: 0 };
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype
        ? 3
        : r.type === type && r.subtype === '*'
          ? 2
          : r.type === '*' && r.subtype === '*'
            ? 1
            : 0;
    if (specificity > best.specificity) best = { q: r.q, specificity };
  }
  return best;
}

/**
 * Whether an Accept header asks for CSV rather than JSON: text/csv is acceptable (q > 0) and preferred to
 * application/json by q, or equally by q but named more specifically (`text/csv, *\/*`). Anything else, a missing
 * header and types the service does not produce included, gets JSON (never 406).
 */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const csv = preference(ranges, 'text', 'csv');
  const json = preference(ranges, 'application', 'json');
  if (csv.q <= 0) return false;
  if (csv.q !== json.q) return csv.q > json.q;
  return csv.specificity > json.specificity;
}

/** The content type of the JSON answers (Fastify's own for the bodies it serializes). */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Sets the CSV content type and returns the document, for a handler to return. */
export function sendCsv(reply: FastifyReply, csv: string): string {
  void reply.type(CSV_CONTENT_TYPE);
  return csv;
}

/**
 * The answer of an endpoint that negotiates CSV: the data warnings header, `Vary: Accept`, and the CSV document
 * when the client prefers it, else the JSON body: `body` itself for Fastify to serialize, or, given `writeJson`, the
 * JSON text it writes (for an endpoint that writes its JSON faster than JSON.stringify would).
 */
export function answerJsonOrCsv<T>(
  reply: FastifyReply,
  warnings: readonly string[],
  body: T,
  toCsv: (body: T) => string,
): T | string;
export function answerJsonOrCsv<T>(
  reply: FastifyReply,
  warnings: readonly string[],
  body: T,
  toCsv: (body: T) => string,
  writeJson: (body: T) => string,
): string;
export function answerJsonOrCsv<T>(
  reply: FastifyReply,
  warnings: readonly string[],
  body: T,
  toCsv: (body: T) => string,
  writeJson?: (body: T) => string,
): T | string {
  setDataWarningsHeader(reply, warnings);
  varyOnAccept(reply);
  if (prefersCsv(reply.request.headers.accept))
    return sendCsv(reply, toCsv(body));
  if (!writeJson) return body;
  void reply.type(JSON_CONTENT_TYPE);
  return writeJson(body);
}

/** Responses of the endpoints that negotiate CSV differ by Accept: caches must know. */
export function varyOnAccept(reply: FastifyReply): void {
  void reply.header('Vary', 'Accept');
}

/**
 * The 200 answer of an endpoint that negotiates CSV: the JSON schema of `type` under application/json and a CSV
 * document (a string) under text/csv. (@ApiProduces would give both media types the JSON schema.)
 */
export function ApiOkJsonOrCsv(options: {
  readonly type: Type<unknown>;
  readonly isArray: boolean;
  readonly description: string;
  readonly headers?: NonNullable<
    Parameters<typeof ApiOkResponse>[0]
  >['headers'];
}): MethodDecorator {
  const ref = { $ref: getSchemaPath(options.type) };
  return applyDecorators(
    ApiExtraModels(options.type),
    ApiOkResponse({
      description: options.description,
      headers: options.headers,
      content: {
        'application/json': {
          schema: options.isArray ? { type: 'array', items: ref } : ref,
        },
        // Its example is a recorded real answer (src/openapi/examples.ts), like the JSON one.
        'text/csv': { schema: { type: 'string' } },
      },
    }),
  );
}
