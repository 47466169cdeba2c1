import {
  EARLIEST_MONTH,
  MAX_RANGE_MONTHS,
  monthToIsoDate,
  type Month,
} from './months';

/**
 * What the service can answer for: months from {@link EARLIEST_MONTH} to the last complete one, at most
 * {@link MAX_RANGE_MONTHS} of them per request. Each function says what is wrong in the words of the request, with
 * the field names its caller gives; the caller turns the text into its own 400.
 */

/** Why `month`, sent as `field`, cannot be served; undefined when it can. */
export function servedMonthProblem(
  field: string,
  month: Month,
  latest: Month,
): string | undefined {
  if (month < EARLIEST_MONTH)
    return `${field} must be on or after ${monthToIsoDate(EARLIEST_MONTH)}`;
  if (month > latest)
    return `${field} must not be after ${monthToIsoDate(latest)}: benchmarks exist up to the last complete month`;
  return undefined;
}

/** Why `first`..`last` is too long a span; `subject` says what spans (`start_date to end_date spans`). */
export function spanProblem(
  subject: string,
  first: Month,
  last: Month,
  showMonths = false,
): string | undefined {
  const span = last - first + 1;
  if (span <= MAX_RANGE_MONTHS) return undefined;
  const months = showMonths
    ? ` (${monthToIsoDate(first)} to ${monthToIsoDate(last)})`
    : '';
  return `${subject} ${span} months${months}; at most ${MAX_RANGE_MONTHS} months are allowed per request`;
}

/** A range of months, or why the request's range cannot be served. */
export type RangeOrProblem =
  | { readonly start: Month; readonly end: Month; readonly problem?: never }
  | { readonly problem: string };

/**
 * The range a request asks for with its defaults: the 12 months ending with `end`, or with the last complete month;
 * with only a start, 12 months from it, cut at the last complete month. `fields` are the request's names for them.
 */
export function requestedRange(
  given: { readonly start?: Month; readonly end?: Month },
  latest: Month,
  fields: { readonly start: string; readonly end: string },
): RangeOrProblem {
  const start = given.start;
  const end =
    given.end ?? (start !== undefined ? Math.min(start + 11, latest) : latest);
  const first = start ?? Math.max(EARLIEST_MONTH, end - 11);
  const problem =
    (start !== undefined
      ? servedMonthProblem(fields.start, start, latest)
      : undefined) ??
    (given.end !== undefined
      ? servedMonthProblem(fields.end, end, latest)
      : undefined) ??
    (end < first
      ? `${fields.end} must not be before ${fields.start}; with ${fields.end} omitted it defaults to the last complete month, ${monthToIsoDate(latest)}`
      : undefined) ??
    spanProblem(`${fields.start} to ${fields.end} spans`, first, end);
  return problem !== undefined ? { problem } : { start: first, end };
}
