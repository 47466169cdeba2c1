/**
 * Parsing of BLS Public Data API v2 answers as the real API sends them (see bls-api.md §1.4-1.6): `Results` as an
 * object or an array (or `{}`, `null`, missing on failure), values as strings with `"-"` for "not available",
 * newest first, `M13` annual averages among monthly points, per-series problems reported only in `message[]`.
 */

/** One observation. `value` is null where BLS publishes `"-"` (suppressed or not available). */
export interface BlsObservation {
  readonly year: number;
  /** `M01`-`M12`, `Q01`-`Q04`, `A01`, `S01`-`S03` (`M13` and `Q05` annual rows are dropped). */
  readonly period: string;
  readonly value: number | null;
  readonly footnoteCodes: readonly string[];
}

/** What BLS said about one series. */
export type BlsSeriesStatus = 'ok' | 'no_data' | 'not_found' | 'invalid';

export interface BlsSeriesResult {
  readonly status: BlsSeriesStatus;
  readonly observations: readonly BlsObservation[];
}

export interface BlsResponse {
  /** REQUEST_SUCCEEDED, REQUEST_NOT_PROCESSED or REQUEST_FAILED (kept as sent). */
  readonly status: string;
  readonly messages: readonly string[];
  /** By seriesID: the API does not keep request order. */
  readonly series: ReadonlyMap<string, BlsSeriesResult>;
  /** The daily request threshold was reached: no further calls today. */
  readonly quotaExhausted: boolean;
  /** The server cut the year span ("Year range has been reduced"): the client's chunking is wrong. */
  readonly yearRangeReduced: boolean;
}

/** The answer is not a BLS envelope (HTML maintenance page, empty body, `Results: null` on failure...). */
export class BlsMalformedResponseError extends Error {
  constructor(reason: string) {
    super(
      `BLS answered with something that is not a usable API response: ${reason}`,
    );
    this.name = 'BlsMalformedResponseError';
  }
}

/** BLS refused the request itself (invalid key, bad parameters): retrying would get the same answer. */
export class BlsRefusedError extends Error {
  constructor(reason: string) {
    super(`BLS refused the request: ${reason}`);
    this.name = 'BlsRefusedError';
  }
}

const QUOTA_PATTERN = /daily threshold/i;
const REDUCED_PATTERN = /Year range has been reduced/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Period codes kept. Dropped on purpose: `M13`, the annual average of a monthly series, and `Q05`, the annual row
 * QCEW adds to quarterly series when asked with `annualaverage=true` (the client never asks; a server that sends
 * one anyway must not see it read as a fifth quarter). The service computes annual figures from the months and
 * quarters themselves, summing over areas before dividing.
 */
const KEPT_PERIOD = /^(M(0[1-9]|1[0-2])|Q0[1-4]|A01|S0[1-3])$/;

function parseObservation(raw: unknown): BlsObservation | undefined {
  if (!isRecord(raw)) return undefined;
  const year = Number(raw.year);
  const period = typeof raw.period === 'string' ? raw.period : '';
  if (!Number.isInteger(year) || !KEPT_PERIOD.test(period)) return undefined;
  const text =
    typeof raw.value === 'string'
      ? raw.value.trim().replace(/,/g, '')
      : String(raw.value);
  const number = Number(text);
  const footnotes = Array.isArray(raw.footnotes) ? raw.footnotes : [];
  return {
    year,
    period,
    value:
      text === '-' || text === '' || !Number.isFinite(number) ? null : number,
    footnoteCodes: footnotes
      .map((f) =>
        isRecord(f) && typeof f.code === 'string' ? f.code : undefined,
      )
      .filter((c): c is string => c !== undefined && c !== ''),
  };
}

/** The status a series gets from the per-series lines in `message[]`. */
function statusFromMessages(
  id: string,
  messages: readonly string[],
  hasData: boolean,
): BlsSeriesStatus {
  // The ID as a whole token: a message about ENUUS0005055415 is not about ENUUS00050554, its prefix.
  const token = new RegExp(
    `(^|[^A-Za-z0-9_#-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_#-])`,
  );
  const about = messages.filter((m) => token.test(m));
  if (about.some((m) => /Invalid Series/i.test(m))) return 'invalid';
  if (about.some((m) => /does not exist/i.test(m))) return 'not_found';
  return hasData ? 'ok' : 'no_data';
}

/**
 * Parses a response body (already read as text). Throws {@link BlsMalformedResponseError} for anything that is not
 * a BLS envelope with usable `Results` (unless the request was refused for the quota, which has `Results: {}`).
 */
export function parseBlsResponse(
  body: string,
  requestedIds: readonly string[],
): BlsResponse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BlsMalformedResponseError(
      `not JSON (starts with ${JSON.stringify(body.slice(0, 40))})`,
    );
  }
  if (!isRecord(json) || typeof json.status !== 'string') {
    throw new BlsMalformedResponseError('no status field');
  }
  const messages = Array.isArray(json.message)
    ? json.message.filter((m): m is string => typeof m === 'string')
    : [];
  const quotaExhausted =
    json.status === 'REQUEST_NOT_PROCESSED' &&
    messages.some((m) => QUOTA_PATTERN.test(m));
  const yearRangeReduced = messages.some((m) => REDUCED_PATTERN.test(m));
  if (quotaExhausted) {
    return {
      status: json.status,
      messages,
      series: new Map(),
      quotaExhausted,
      yearRangeReduced,
    };
  }
  if (json.status === 'REQUEST_NOT_PROCESSED') {
    throw new BlsRefusedError(messages.join(' ') || 'REQUEST_NOT_PROCESSED');
  }
  if (json.status !== 'REQUEST_SUCCEEDED') {
    throw new BlsMalformedResponseError(
      `status ${json.status}: ${messages.join(' ') || 'no message'}`,
    );
  }
  // The documented samples wrap Results in an array; live answers use an object.
  const results = Array.isArray(json.Results)
    ? (json.Results[0] as unknown)
    : json.Results;
  if (!isRecord(results) || !Array.isArray(results.series)) {
    throw new BlsMalformedResponseError(
      'Results is missing or has no series list',
    );
  }
  const series = new Map<string, BlsSeriesResult>();
  for (const raw of results.series) {
    if (!isRecord(raw) || typeof raw.seriesID !== 'string') continue;
    const observations = (Array.isArray(raw.data) ? raw.data : [])
      .map(parseObservation)
      .filter((o): o is BlsObservation => o !== undefined);
    series.set(raw.seriesID, {
      status: statusFromMessages(
        raw.seriesID,
        messages,
        observations.length > 0,
      ),
      observations,
    });
  }
  for (const id of requestedIds) {
    if (!series.has(id))
      series.set(id, {
        status: statusFromMessages(id, messages, false),
        observations: [],
      });
  }
  return {
    status: json.status,
    messages,
    series,
    quotaExhausted,
    yearRangeReduced,
  };
}
