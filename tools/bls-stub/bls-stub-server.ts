import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type BlsWirePoint,
  isWellFormedSeriesId,
  STUB_SURVEYS,
  stubLatestObservation,
  stubObservations,
  stubPopularSeries,
} from './bls-stub-data';

/** Options of {@link startBlsStub}. */
export interface BlsStubOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Valid registration keys; default [{@link DEFAULT_STUB_KEY}]. */
  keys?: string[];
  /** Data requests per UTC day per key; default 500. */
  dailyLimitWithKey?: number;
  /** Data requests per UTC day shared by all key-less (and all /v1) requests; default 25. */
  dailyLimitWithoutKey?: number;
  /** Fault applied to every API request unless the `x-stub-fault` header overrides it; default 'none'. */
  fault?: BlsStubFault;
  /** The clock for publication dates, default windows and the daily quota; default () => new Date(). */
  now?: () => Date;
  /** Delay of the 'slow' fault in ms; default 3000. */
  slowMs?: number;
}

/**
 * A forced misbehaviour: '429' HTTP 429; '500' HTTP 500 with HTML; 'html' HTTP 200 text/html maintenance page;
 * 'slow' normal answer after slowMs; 'null-results' REQUEST_FAILED with `Results: null`; 'quota' the daily-threshold
 * refusal; 'array-results' data with `Results: [{series}]`; 'shuffle' data with the series order reversed.
 * The refusing faults ('429', '500', 'html', 'null-results', 'quota') count toward neither quota nor rate limit.
 */
export type BlsStubFault = (typeof BLS_STUB_FAULTS)[number];

/** Every {@link BlsStubFault}. */
// prettier-ignore
export const BLS_STUB_FAULTS = ['none', '429', '500', 'html', 'slow', 'null-results', 'quota', 'array-results',
  'shuffle'] as const;

/** Type guard for {@link BlsStubFault}. */
export function isBlsStubFault(value: unknown): value is BlsStubFault {
  return BLS_STUB_FAULTS.includes(value as BlsStubFault);
}

/** The registration key accepted when no `keys` option is given. */
export const DEFAULT_STUB_KEY = 'stub-key-0123456789abcdef0123456789ab';

/** One request as the stub received it. `body`: parsed JSON, form fields as a string record, raw text, or undefined. */
export interface BlsStubRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** A running stub. */
export interface BlsStub {
  /** Base URL of API v2, e.g. http://127.0.0.1:PORT/publicAPI/v2 (v1 is the same with /v1). */
  readonly url: string;
  /** Every request received (any route), in arrival order. */
  readonly requests: ReadonlyArray<BlsStubRequest>;
  /**
   * Every series ID answered "Series does not exist" or "Invalid Series", in arrival order: a client that builds
   * only IDs the real database holds leaves it empty.
   */
  readonly unknownSeries: ReadonlyArray<string>;
  /** Changes the default fault; throws on an unknown value. */
  setFault(fault: BlsStubFault): void;
  /** Clears the daily quota counters and the rate-limit window. */
  resetCounters(): void;
  /** Stops listening, drops open connections (including pending 'slow' answers). */
  close(): Promise<void>;
}

/** The daily-quota refusal, byte for byte as the real API sends it (the key is never echoed: two spaces). */
export const QUOTA_MESSAGE =
  'Request could not be serviced, as the daily threshold for total number of requests allocated to the user with registration key  has been reached.';
/** The refusal of an unknown registration key. */
export const INVALID_KEY_MESSAGE = 'The key provided by the User is invalid.';

const RATE_MAX = 50;
const RATE_WINDOW_MS = 10_000;
const MAX_BODY = 1 << 20;

interface DataQuery {
  seriesIds: string[];
  startyear: unknown;
  endyear: unknown;
  key: string | undefined;
  latest: boolean;
}

type Reply = { status: number; type: string; body: string };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const json = (status: number, value: unknown): Reply => ({
  status,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
});
const text = (status: number, body: string, type = 'text/plain'): Reply => ({
  status,
  type: `${type}; charset=utf-8`,
  body,
});
const envelope = (
  status: string,
  responseTime: number,
  message: string[],
  Results: unknown,
): Reply => json(200, { status, responseTime, message, Results });
const FAILED = envelope('REQUEST_FAILED', 1, [], null);
const HTML_500 =
  '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';
const HTML_MAINTENANCE =
  '<!doctype html><html><head><title>BLS</title></head><body><h1>The BLS Public Data API is down for scheduled maintenance.</h1></body></html>';
const refusal = (responseTime: number, ...message: string[]): Reply =>
  envelope('REQUEST_NOT_PROCESSED', responseTime, message, {});

/** Case-insensitive field lookup (the API accepts `registrationKey` as well as `registrationkey`). */
function field(record: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : record[key];
}

/** A JSON value as text: strings as-is, anything else as JSON (so `true` is "true", `{}` is "{}"). */
function str(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function toQuery(
  record: Record<string, unknown>,
  ids: unknown,
  splitCommas: boolean,
): DataQuery {
  const list = Array.isArray(ids)
    ? (ids as unknown[])
    : ids === undefined
      ? []
      : [ids];
  const key = field(record, 'registrationkey');
  return {
    seriesIds: list
      .map((id) => str(id).trim())
      .flatMap((id) =>
        splitCommas ? id.split(',').map((s) => s.trim()) : [id],
      )
      .filter((id) => id !== ''),
    startyear: field(record, 'startyear'),
    endyear: field(record, 'endyear'),
    key: key === undefined || key === '' ? undefined : str(key),
    latest: str(field(record, 'latest')).toLowerCase() === 'true',
  };
}

/** Parses a POST body by content type (JSON or form); throws HttpError 415/400 as the API would. */
function parseBody(
  raw: string,
  contentType: string | undefined,
): { body: unknown; form: boolean } {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    try {
      return { body: JSON.parse(raw) as unknown, form: false };
    } catch {
      throw new HttpError(400, 'Malformed JSON body.');
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(raw);
    const out: Record<string, string> = {};
    for (const k of new Set(params.keys())) out[k] = params.getAll(k).join(',');
    return { body: out, form: true };
  }
  throw new HttpError(415, 'Unsupported Media Type');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new HttpError(413, 'Payload Too Large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The year window of a data request, cut to `maxYears`; a string is the refusal message. */
function yearWindow(q: DataQuery, maxYears: number, nowYear: number) {
  if (q.latest || (q.startyear === undefined && q.endyear === undefined)) {
    return { start: nowYear - 2, end: nowYear, cut: false };
  }
  const [start, end] = [q.startyear, q.endyear].map((y) =>
    /^\d{4}$/.test(str(y).trim()) ? Number(str(y)) : NaN,
  );
  if (q.startyear === undefined || q.endyear === undefined) {
    return 'Both startyear and endyear are required when either is given.';
  }
  if (!(start <= end))
    return 'startyear and endyear must be 4-digit years, start <= end.';
  const cut = end - start + 1 > maxYears;
  return { start, end: cut ? start + maxYears - 1 : end, cut };
}

/** `/surveys`, `/surveys/{abbr}` and `/timeseries/popular[?survey=XX]`. */
function metaReply(rest: string, params: Record<string, string>, t0: number) {
  const ok = (Results: unknown) =>
    envelope(
      'REQUEST_SUCCEEDED',
      Math.round(performance.now() - t0),
      [],
      Results,
    );
  if (rest.startsWith('/timeseries/popular')) {
    const ids = stubPopularSeries(str(field(params, 'survey')));
    return ok({ series: ids.map((seriesID) => ({ seriesID })) });
  }
  const abbr = rest.split('/')[2]?.toUpperCase();
  if (!abbr)
    return ok({
      survey: STUB_SURVEYS.map((s) => ({
        survey_abbreviation: s.survey_abbreviation,
        survey_name: s.survey_name,
      })),
    });
  const found = STUB_SURVEYS.find((s) => s.survey_abbreviation === abbr);
  return found
    ? ok({ survey: [found] })
    : refusal(0, `Survey ${abbr} does not exist.`);
}

/** Starts a stub of the BLS Public Data API (v1 and v2) on `host:port`; resolves once it listens. */
export async function startBlsStub(
  options: BlsStubOptions = {},
): Promise<BlsStub> {
  const keys = new Set(options.keys ?? [DEFAULT_STUB_KEY]);
  const now = options.now ?? (() => new Date());
  const slowMs = options.slowMs ?? 3000;
  const limitsFor = (key: string | undefined) =>
    key
      ? { series: 50, years: 20, daily: options.dailyLimitWithKey ?? 500 }
      : { series: 25, years: 10, daily: options.dailyLimitWithoutKey ?? 25 };
  let fault: BlsStubFault = 'none';
  const requests: BlsStubRequest[] = [];
  const unknownSeries: string[] = [];
  const quota = { day: '', counts: new Map<string, number>() };
  let window: number[] = [];
  const pending = new Set<() => void>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const setFault = (f: BlsStubFault): void => {
    if (!isBlsStubFault(f))
      throw new Error(`Unknown BLS stub fault: ${String(f)}`);
    fault = f;
  };
  setFault(options.fault ?? 'none');

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pending.add(done);
    });

  /** Counts one data request against the caller's daily quota; false when it is used up. */
  const takeQuota = (key: string | undefined, limit: number): boolean => {
    const day = now().toISOString().slice(0, 10);
    if (day !== quota.day) quota.counts.clear();
    quota.day = day;
    const id = key === undefined ? '' : `k:${key}`;
    const used = quota.counts.get(id) ?? 0;
    if (used >= limit) return false;
    quota.counts.set(id, used + 1);
    return true;
  };

  const dataReply = (
    q: DataQuery,
    v1: boolean,
    f: BlsStubFault,
    t0: number,
  ): Reply => {
    const elapsed = () => Math.round(performance.now() - t0);
    const key = v1 ? undefined : q.key;
    if (key !== undefined && !keys.has(key))
      return refusal(elapsed(), INVALID_KEY_MESSAGE);
    const limits = limitsFor(key);
    if (!takeQuota(key, limits.daily)) return refusal(0, QUOTA_MESSAGE);
    if (q.seriesIds.length === 0)
      return refusal(elapsed(), 'No series IDs were provided.');
    const today = now();
    const years = yearWindow(q, limits.years, today.getUTCFullYear());
    if (typeof years === 'string') return refusal(elapsed(), years);
    const { start, end } = years;
    const messages = years.cut
      ? [
          `Year range has been reduced to the system-allowed limit of ${limits.years} years.`,
        ]
      : [];
    let ids = q.seriesIds;
    if (ids.length > limits.series) {
      ids = ids.slice(0, limits.series);
      messages.push(`Only the first ${limits.series} series were processed.`);
    }
    const series = ids.map((id) => {
      let data: BlsWirePoint[] = [];
      const doesNotExist = () => {
        unknownSeries.push(id);
        messages.push(`Series does not exist for Series ${id}`);
      };
      if (!isWellFormedSeriesId(id)) {
        unknownSeries.push(id);
        messages.push(`Invalid Series for Series ${id}`);
      } else if (q.latest) {
        const last = stubLatestObservation(id, today);
        if (last) data = [last];
        else doesNotExist();
      } else {
        const obs = stubObservations(id, start, end, today);
        if (!obs) doesNotExist();
        for (const y of obs?.emptyYears ?? []) {
          messages.push(`No Data Available for Series ${id} Year: ${y}`);
        }
        data = obs?.points ?? [];
      }
      return { seriesID: id, data };
    });
    if (f === 'shuffle') series.reverse();
    const list = JSON.stringify(series);
    const head = `{"status":"REQUEST_SUCCEEDED","responseTime":${elapsed()},"message":${JSON.stringify(messages)},"Results":`;
    const body =
      f === 'array-results'
        ? `${head}[{"series":${list}}]}`
        : `${head}{\n"series":\n${list}\n}}`;
    return { status: 200, type: 'application/json; charset=utf-8', body };
  };

  const handle = async (
    req: IncomingMessage,
    entry: BlsStubRequest,
  ): Promise<Reply> => {
    const t0 = performance.now();
    const url = new URL(req.url ?? '/', 'http://stub');
    const m = /^\/publicAPI\/(v1|v2)(\/.*)$/.exec(url.pathname);
    const rest = m?.[2] ?? '';
    const route = /^\/timeseries\/data\/?$/.test(rest)
      ? 'post'
      : /^\/timeseries\/data\/[^/]+\/?$/.test(rest)
        ? 'get'
        : /^\/(surveys(\/[^/]+)?|timeseries\/popular)\/?$/.test(rest)
          ? 'meta'
          : undefined;
    const raw = await readBody(req);
    entry.body = raw === '' ? undefined : raw;
    if (!m || !route) return text(404, 'Not Found');
    const method = route === 'post' ? 'POST' : 'GET';
    if (req.method !== method) return text(405, 'Method Not Allowed');

    const header = req.headers['x-stub-fault'];
    const f = header === undefined ? fault : String(header);
    if (!isBlsStubFault(f)) return text(400, `Unknown x-stub-fault: ${f}`);
    if (f === '429') return text(429, 'Too Many Requests');
    if (f === '500') return text(500, HTML_500, 'text/html');
    if (f === 'html') return text(200, HTML_MAINTENANCE, 'text/html');
    if (f === 'null-results') return FAILED;
    if (f === 'quota') return refusal(0, QUOTA_MESSAGE);
    if (f === 'slow') await sleep(slowMs);

    const t = performance.now();
    window = window.filter((w) => w > t - RATE_WINDOW_MS);
    if (window.length >= RATE_MAX) return text(429, 'Too Many Requests');
    window.push(t);

    const v1 = m[1] === 'v1';
    const params = Object.fromEntries(url.searchParams);
    if (route === 'post') {
      const { body, form } = parseBody(raw, req.headers['content-type']);
      entry.body = body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new HttpError(400, 'The request body must be a JSON object.');
      }
      const record = body as Record<string, unknown>;
      const query = toQuery(record, field(record, 'seriesid'), form);
      return dataReply(query, v1, f, t0);
    }
    if (route === 'get') {
      const id = decodeURIComponent(
        rest.replace(/^\/timeseries\/data\//, '').replace(/\/$/, ''),
      );
      // comma-joined IDs in the path: the real API answers REQUEST_FAILED, Results null
      if (id.includes(',')) return FAILED;
      return dataReply(toQuery(params, id, false), v1, f, t0);
    }
    return metaReply(rest, params, t0);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const entry: BlsStubRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      body: undefined,
      headers: { ...req.headers },
    };
    requests.push(entry);
    handle(req, entry)
      .catch((err: unknown): Reply => {
        if (err instanceof HttpError) return text(err.status, err.message);
        return text(500, `BLS stub error: ${String(err)}`);
      })
      .then((reply) => {
        if (closed || res.destroyed) return;
        res.writeHead(reply.status, { 'Content-Type': reply.type });
        res.end(reply.body);
      })
      .catch(() => res.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${host}:${addr.port}/publicAPI/v2`,
    requests,
    unknownSeries,
    setFault,
    resetCounters: () => {
      quota.counts.clear();
      window = [];
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        closed = true;
        for (const done of [...pending]) done();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
