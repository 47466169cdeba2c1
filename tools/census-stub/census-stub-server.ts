import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { STUB_STATES } from '../bls-stub/bls-stub-data';
import {
  STUB_FIRST_YEAR,
  STUB_LATEST_YEAR,
  stubRows,
  type StubDataset,
  type StubFigure,
  type StubRow,
} from './census-stub-data';

/**
 * A local server speaking the Census Data API's protocol as ../shared/reference/census-api.md describes it, for the
 * `abscs` and `cbp` datasets: `GET /data/{year}/{dataset}?get=...&for=...&PRED=value&key=...`.
 * - Key checks first: no `key` gives a 302 to `/data/missing_key.html`, an unknown one a 302 to
 *   `/data/invalid_key.html`, both with `X-DataWebAPI-KeyError: 1` (the pages answer 200 HTML, as the real ones).
 * - A vintage not served: 404 with an HTML page. A valid query with no rows: 204, empty body.
 * - 400 texts as the real API's: `error: unknown variable 'X'`, `error: unknown predicate variable: 'X'`,
 *   `error: missing 'for' argument`, `error: unknown/unsupported geography hierarchy`, `error: 'get' is limited to
 *   50 variables`. Each vintage knows its own variables: CBP 2017 has no noise flags (`EMP_N_F`), ABS filters on
 *   NAICS2017 up to 2021 and NAICS2022 from 2022.
 * - 200: an array of arrays, one row per line, header first; every value a string or null; the `get` columns in the
 *   order asked, then each predicate echoed, then the geography column; rows unsorted. Dimensions left unpinned
 *   (ABS owner groups and other size tables, CBP legal form) add rows for their other values, as the real API does.
 */

/** Options of {@link startCensusStub}. */
export interface CensusStubOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Valid keys; default [{@link DEFAULT_CENSUS_STUB_KEY}]. */
  keys?: string[];
  /** Fault applied to every data request unless the `x-stub-fault` header overrides it; default 'none'. */
  fault?: CensusStubFault;
  /** Delay of the 'slow' fault in ms; default 3000. */
  slowMs?: number;
  /** The newest vintage served; default {@link STUB_LATEST_YEAR}. */
  latestYear?: number;
  /** NAICS codes answered with 204 (no rows), as a code Census does not publish at a level would be. */
  emptyNaics?: string[];
}

/**
 * A forced misbehaviour: '429' HTTP 429; '500' HTTP 500 with Census's internal-error text; 'html' HTTP 200 with an
 * HTML maintenance page; 'slow' a normal answer after slowMs; 'key' the invalid-key redirect whatever the key (a
 * revoked key).
 */
export type CensusStubFault = (typeof CENSUS_STUB_FAULTS)[number];
export const CENSUS_STUB_FAULTS = [
  'none',
  '429',
  '500',
  'html',
  'slow',
  'key',
] as const;

export function isCensusStubFault(value: unknown): value is CensusStubFault {
  return CENSUS_STUB_FAULTS.includes(value as CensusStubFault);
}

/** The key accepted when no `keys` option is given (40 hex digits, as Census keys are). */
export const DEFAULT_CENSUS_STUB_KEY =
  '0123456789abcdef0123456789abcdef01234567';

export const INTERNAL_ERROR_TEXT =
  "There was an error while running your query.  We've logged the error and we'll correct it ASAP.  Sorry for the inconvenience.";

/** One request as the stub received it, and how it answered. */
export interface CensusStubRequest {
  /** Path with query string, as sent (key included). */
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly status: number;
  /** The error text of a 400, if any. */
  readonly error?: string;
}

/** A running stub. */
export interface CensusStub {
  /** Base URL, e.g. http://127.0.0.1:PORT/data: the service's CENSUS_API_URL. */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: ReadonlyArray<CensusStubRequest>;
  setFault(fault: CensusStubFault): void;
  close(): Promise<void>;
}

type Reply = {
  status: number;
  type?: string;
  body: string;
  headers?: Record<string, string>;
};

const html = (status: number, body: string): Reply => ({
  status,
  type: 'text/html;charset=utf-8',
  body,
});
const textError = (message: string): Reply => ({
  status: 400,
  type: 'text/plain;charset=utf-8',
  body: `error: ${message}`,
});

const NOT_FOUND_PAGE =
  '<!doctype html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested resource is not available.</p></body></html>';
const MISSING_KEY_PAGE =
  '<html><body><h1>Missing Key</h1> A valid key must be included with each data API request. You included a key with this request, however, it is not valid. Please check your key and try again. If you do not have a key you may sign up for one at https://api.census.gov/data/key_signup.html.</body></html>';
const INVALID_KEY_PAGE =
  '<html><body><h1>Invalid Key</h1> A valid key must be included with each data API request. You included a key with this request, however, it is not valid.</body></html>';
const MAINTENANCE_PAGE =
  '<!doctype html><html><head><title>Census Data API</title></head><body><h1>The Census Data API is temporarily unavailable for maintenance.</h1></body></html>';

/** The predicates pinned to "total" for each dataset, with the value that means total. */
const TOTALS: Readonly<Record<StubDataset, Readonly<Record<string, string>>>> =
  {
    abscs: {
      SEX: '001',
      ETH_GROUP: '001',
      RACE_GROUP: '00',
      VET_GROUP: '001',
      RCPSZFI: '001',
      YIBSZFI: '001',
      URSZFI: '001',
    },
    cbp: { LFO: '001' },
  };

const TOTAL_LABELS: Readonly<Record<string, string>> = {
  SEX: 'Total',
  ETH_GROUP: 'Total',
  RACE_GROUP: 'Total',
  VET_GROUP: 'Total',
  RCPSZFI: 'All firms',
  YIBSZFI: 'All firms',
  URSZFI: 'Total',
  LFO: 'All establishments',
};

function naicsVariable(dataset: StubDataset, year: number): string {
  return dataset === 'abscs' && year >= 2022 ? 'NAICS2022' : 'NAICS2017';
}

/** The variables a vintage knows (get and predicate alike). */
function variablesOf(dataset: StubDataset, year: number): Set<string> {
  const naics = naicsVariable(dataset, year);
  const common = ['NAME', 'GEO_ID', naics, `${naics}_LABEL`, 'YEAR'];
  if (dataset === 'abscs') {
    const figures = ['FIRMPDEMP', 'RCPPDEMP', 'EMP', 'PAYANN'].flatMap((v) => [
      v,
      `${v}_F`,
      `${v}_S`,
    ]);
    const dims = ['EMPSZFI', ...Object.keys(TOTALS.abscs)].flatMap((d) => [
      d,
      `${d}_LABEL`,
    ]);
    return new Set([...common, ...figures, ...dims]);
  }
  const figures = [
    'ESTAB',
    'ESTAB_F',
    'EMP',
    'EMP_F',
    'EMP_N',
    'PAYANN',
    'PAYANN_F',
    'PAYANN_N',
    ...(year >= 2018 ? ['EMP_N_F', 'PAYANN_N_F'] : []),
  ];
  return new Set([
    ...common,
    ...figures,
    'EMPSZES',
    'EMPSZES_LABEL',
    'LFO',
    'LFO_LABEL',
  ]);
}

const STATE_NAMES = new Map(STUB_STATES.map((s) => [s.fips, s.postal]));

/** The value of one variable in one row, as the API writes it. */
function valueOf(
  dataset: StubDataset,
  row: StubRow,
  variable: string,
  pinned: Readonly<Record<string, string>>,
  naics: string,
): string | null {
  const figures: Record<string, StubFigure | undefined> =
    dataset === 'abscs'
      ? {
          FIRMPDEMP: row.units,
          RCPPDEMP: row.receipts,
          EMP: row.employees,
          PAYANN: row.payroll,
        }
      : { ESTAB: row.units, EMP: row.employees, PAYANN: row.payroll };
  const base = variable.replace(/_(F|S|N|N_F)$/, '');
  const figure = figures[base];
  if (figure) {
    if (variable === base) return figure.value;
    if (variable.endsWith('_N_F')) return figure.noise;
    if (variable.endsWith('_N')) return '0';
    if (variable.endsWith('_F')) return figure.flag;
    if (variable.endsWith('_S')) return figure.flag ? '0.0' : figure.rse;
  }
  const sizeVariable = dataset === 'abscs' ? 'EMPSZFI' : 'EMPSZES';
  if (variable === sizeVariable) return row.sizeCode;
  if (variable === `${sizeVariable}_LABEL`) return row.sizeLabel;
  if (variable === 'NAME')
    return row.geo === 'us'
      ? 'United States'
      : (STATE_NAMES.get(row.geo) ?? 'Puerto Rico');
  if (variable === 'GEO_ID')
    return row.geo === 'us' ? '0100000US' : `0400000US${row.geo}`;
  if (variable === 'YEAR') return null;
  if (/^NAICS20\d\d$/.test(variable)) return naics;
  if (/^NAICS20\d\d_LABEL$/.test(variable)) return `NAICS ${naics}`;
  const dimension = variable.replace(/_LABEL$/, '');
  if (dimension in pinned)
    return variable.endsWith('_LABEL')
      ? (TOTAL_LABELS[dimension] ?? 'Total')
      : pinned[dimension];
  return null;
}

/** Answers one data request (no I/O): the status, type and body the real API would send. */
export function answerDataRequest(
  url: URL,
  options: Required<
    Pick<CensusStubOptions, 'keys' | 'latestYear' | 'emptyNaics'>
  >,
): Reply {
  const match = /^\/data\/(\d{4})\/([a-z]+)\/?$/.exec(url.pathname);
  if (!match) return html(404, NOT_FOUND_PAGE);
  const key = url.searchParams.get('key');
  if (!key)
    return {
      status: 302,
      body: '',
      headers: {
        location: `${url.origin}/data/missing_key.html`,
        'x-datawebapi-keyerror': '1',
      },
    };
  if (!options.keys.includes(key))
    return {
      status: 302,
      body: '',
      headers: {
        location: `${url.origin}/data/invalid_key.html`,
        'x-datawebapi-keyerror': '1',
      },
    };
  const year = Number(match[1]);
  const dataset = match[2];
  if (
    (dataset !== 'abscs' && dataset !== 'cbp') ||
    year < STUB_FIRST_YEAR ||
    year > options.latestYear
  )
    return html(404, NOT_FOUND_PAGE);
  const known = variablesOf(dataset, year);
  const getParam = url.searchParams.get('get');
  if (!getParam) return textError("missing 'get' argument");
  const get = getParam.split(',');
  if (get.length > 50) return textError("'get' is limited to 50 variables");
  const unknown = get.find((v) => !known.has(v));
  if (unknown) return textError(`unknown variable '${unknown}'`);
  const forParam = url.searchParams.get('for');
  if (!forParam) return textError("missing 'for' argument");
  const geo =
    forParam === 'state:*'
      ? 'state'
      : forParam === 'us:1' || forParam === 'us:*'
        ? 'us'
        : undefined;
  if (!geo || url.searchParams.has('in'))
    return textError('unknown/unsupported geography hierarchy');

  const predicates: Array<[string, string]> = [];
  for (const [name, value] of url.searchParams)
    if (!['get', 'for', 'in', 'key'].includes(name))
      predicates.push([name, value]);
  const badPredicate = predicates.find(([name]) => !known.has(name));
  if (badPredicate)
    return textError(`unknown predicate variable: '${badPredicate[0]}'`);
  const naicsName = naicsVariable(dataset, year);
  const naicsValues = predicates
    .filter(([name]) => name === naicsName)
    .map(([, v]) => v);
  if (naicsValues.length !== 1)
    return textError(
      `this stub answers exactly one ${naicsName} value per request`,
    );
  const naics = naicsValues[0];
  const totals = TOTALS[dataset];
  const pinned: Record<string, string> = {};
  for (const [name, value] of predicates)
    if (name in totals) pinned[name] = value;
  // A size class asked for by its code: only its rows (the real API filters on any variable given as a predicate).
  const sizeVariable = dataset === 'cbp' ? 'EMPSZES' : 'EMPSZFI';
  const sizeCodes = predicates
    .filter(([name]) => name === sizeVariable)
    .map(([, v]) => v);
  const rows = options.emptyNaics.includes(naics)
    ? undefined
    : stubRows(dataset, year, naics, geo)?.filter(
        (r) => sizeCodes.length === 0 || sizeCodes.includes(r.sizeCode),
      );
  // A dimension pinned to another value than its total: the stub has no rows for it.
  if (
    !rows ||
    rows.length === 0 ||
    Object.entries(pinned).some(([name, value]) => totals[name] !== value)
  )
    return { status: 204, body: '' };
  // Unpinned dimensions: the real API answers every value of them, and totals double-count. Half the rows again,
  // under another value of the first unpinned dimension, make that visible.
  const unpinned = Object.keys(totals).filter((d) => !(d in pinned));
  const served = [...rows];
  for (const d of unpinned) pinned[d] = totals[d];
  const header = [
    ...get,
    ...predicates.map(([name]) => name),
    geo === 'state' ? 'state' : 'us',
  ];
  const write = (row: StubRow, values: Record<string, string>) =>
    JSON.stringify([
      ...get.map((v) => valueOf(dataset, row, v, values, naics)),
      ...predicates.map(([name, value]) =>
        name === naicsName
          ? naics
          : name === sizeVariable
            ? row.sizeCode
            : value,
      ),
      row.geo === 'us' ? '1' : row.geo,
    ]);
  const lines = served.map((row) => write(row, pinned));
  if (unpinned.length > 0) {
    const other = { ...pinned, [unpinned[0]]: '002' };
    lines.push(
      ...rows.filter((_r, i) => i % 2 === 0).map((row) => write(row, other)),
    );
  }
  return {
    status: 200,
    type: 'application/json;charset=utf-8',
    body: `[${[JSON.stringify(header), ...lines].join(',\n')}]`,
  };
}

/** Starts the stub; resolves once it listens. */
export async function startCensusStub(
  options: CensusStubOptions = {},
): Promise<CensusStub> {
  let fault: CensusStubFault = options.fault ?? 'none';
  const keys = options.keys ?? [DEFAULT_CENSUS_STUB_KEY];
  const settings = {
    keys,
    latestYear: options.latestYear ?? STUB_LATEST_YEAR,
    emptyNaics: options.emptyNaics ?? [],
  };
  const slowMs = options.slowMs ?? 3000;
  const requests: CensusStubRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(
      req.url ?? '/',
      `http://${req.headers.host ?? 'localhost'}`,
    );
    const send = (reply: Reply) => {
      requests.push({
        path: req.url ?? '',
        headers: req.headers,
        status: reply.status,
        ...(reply.status === 400 ? { error: reply.body } : {}),
      });
      res.writeHead(reply.status, {
        ...(reply.type ? { 'content-type': reply.type } : {}),
        ...(reply.headers ?? {}),
      });
      res.end(reply.body);
    };
    if (req.method !== 'GET') return send(html(404, NOT_FOUND_PAGE));
    if (url.pathname === '/data/missing_key.html')
      return send(html(200, MISSING_KEY_PAGE));
    if (url.pathname === '/data/invalid_key.html')
      return send(html(200, INVALID_KEY_PAGE));
    const header = req.headers['x-stub-fault'];
    const active = isCensusStubFault(header) ? header : fault;
    if (active === '429')
      return send({
        status: 429,
        type: 'text/plain',
        body: 'Too Many Requests',
      });
    if (active === '500')
      return send({
        status: 500,
        type: 'text/plain',
        body: INTERNAL_ERROR_TEXT,
      });
    if (active === 'html') return send(html(200, MAINTENANCE_PAGE));
    if (active === 'key')
      return send({
        status: 302,
        body: '',
        headers: {
          location: `${url.origin}/data/invalid_key.html`,
          'x-datawebapi-keyerror': '1',
        },
      });
    const reply = answerDataRequest(url, settings);
    if (active === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(reply);
      }, slowMs);
      timers.add(timer);
      return;
    }
    send(reply);
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(),
    );
  });
  const address = server.address() as AddressInfo;
  const host =
    address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}/data`,
    requests,
    setFault(next) {
      if (!isCensusStubFault(next))
        throw new Error(`unknown Census stub fault "${String(next)}"`);
      fault = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
