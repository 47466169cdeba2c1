import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Examples } from '../../src/openapi/examples';

/** The admin key the example requests of `npm run openapi` send (to an app started with it, never a real one). */
export const EXAMPLE_ADMIN_KEY = 'example-admin-key-0123456789abcdef';

/** A request whose real answer becomes the documented example of its operation. */
export interface ExampleRequest {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** The operation also answers CSV (`Accept: text/csv`): record that answer too. */
  readonly csv?: boolean;
  /** Sent again (every 20 ms, for up to 60 s) until its answer satisfies this: for a job that goes on in the background. */
  readonly repeatUntil?: (answer: unknown) => boolean;
}

/**
 * The documented examples, in the order they are sent (the cache clear comes after the requests that fill the
 * cache). Their answers are recorded in recorded-examples.json by `npm run openapi`; a test checks the recording is true.
 */
export const EXAMPLE_REQUESTS: readonly ExampleRequest[] = [
  { operationId: 'health', method: 'GET', url: '/api/benchmarks/health' },
  { operationId: 'ready', method: 'GET', url: '/api/benchmarks/health/ready' },
  {
    operationId: 'listIndustries',
    method: 'GET',
    url: '/api/benchmarks/industries',
  },
  {
    operationId: 'getIndustry',
    method: 'GET',
    url: '/api/benchmarks/industries/restaurant',
  },
  {
    operationId: 'getMetrics',
    method: 'GET',
    url: '/api/benchmarks/metrics/restaurant',
  },
  {
    operationId: 'getData',
    method: 'POST',
    url: '/api/benchmarks/data',
    csv: true,
    body: {
      industry: 'restaurant',
      company_size: 'small',
      region: 'west',
      metrics: ['profit_margin'],
      start_date: '2024-11-01',
      end_date: '2024-12-31',
    },
  },
  {
    operationId: 'compare',
    method: 'POST',
    url: '/api/benchmarks/compare',
    csv: true,
    body: {
      industry: 'retail',
      company_size: 'medium',
      region: 'national',
      period: '2024-12-01',
      user_values: {
        revenue_per_employee: 180000,
        customer_acquisition_cost: 150,
      },
    },
  },
  {
    operationId: 'scorecard',
    method: 'POST',
    url: '/api/benchmarks/scorecard',
    csv: true,
    body: {
      industry: 'retail',
      company_size: 'medium',
      region: 'national',
      period: '2024-12-01',
      user_values: {
        revenue_per_employee: 180000,
        customer_acquisition_cost: 100,
      },
      weights: { revenue_per_employee: 2 },
    },
  },
  {
    operationId: 'trajectory',
    method: 'POST',
    url: '/api/benchmarks/compare/trajectory',
    body: {
      industry: 'retail',
      user_series: {
        revenue_per_employee: [
          { period: '2024-01-01', value: 150000 },
          { period: '2024-06-01', value: 165000 },
          { period: '2024-12-01', value: 190000 },
        ],
      },
    },
  },
  {
    operationId: 'clear',
    method: 'DELETE',
    url: '/api/benchmarks/cache',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
  {
    operationId: 'createTenant',
    method: 'POST',
    url: '/api/benchmarks/admin/tenants',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
    body: { name: 'Acme Books' },
  },
  {
    operationId: 'listTenants',
    method: 'GET',
    url: '/api/benchmarks/admin/tenants',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
  {
    operationId: 'putContribution',
    method: 'PUT',
    url: '/api/benchmarks/contributions/acct-000123/2024-12-01',
    headers: { authorization: 'Bearer {api_key}' },
    body: {
      industry: 'retail',
      company_size: 'small',
      region: 'midwest',
      values: { profit_margin: 0.062, revenue_per_employee: 171000 },
    },
  },
  {
    operationId: 'putContributionBatch',
    method: 'POST',
    url: '/api/benchmarks/contributions/batch',
    headers: { authorization: 'Bearer {api_key}' },
    body: {
      records: [
        {
          business_ref: 'acct-000123',
          period: '2024-11-01',
          industry: 'retail',
          company_size: 'small',
          region: 'midwest',
          values: { profit_margin: 0.048 },
        },
        {
          business_ref: 'acct-000124',
          period: '2024-12-01',
          industry: 'retail',
          company_size: 'medium',
          region: 'west',
          values: { profit_margin: 0.031, gross_margin: 0.352 },
        },
      ],
    },
  },
  {
    operationId: 'publishContributions',
    method: 'POST',
    url: '/api/benchmarks/admin/publications',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
  {
    // Once it has ended (it runs in the background), so that the examples after it do not depend on timing.
    operationId: 'getPublication',
    method: 'GET',
    url: '/api/benchmarks/admin/publications/1',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
    repeatUntil: (answer) =>
      (answer as { state?: unknown } | null)?.state !== 'running',
  },
  {
    operationId: 'listPublications',
    method: 'GET',
    url: '/api/benchmarks/admin/publications',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
  {
    operationId: 'exportContributions',
    method: 'GET',
    url: '/api/benchmarks/contributions/acct-000123',
    headers: { authorization: 'Bearer {api_key}' },
  },
  {
    operationId: 'eraseContributions',
    method: 'DELETE',
    url: '/api/benchmarks/contributions/acct-000124',
    headers: { authorization: 'Bearer {api_key}' },
  },
  {
    operationId: 'rotateTenantKey',
    method: 'POST',
    url: '/api/benchmarks/admin/tenants/{tenant_id}/rotate-key',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
  {
    operationId: 'revokeTenant',
    method: 'DELETE',
    url: '/api/benchmarks/admin/tenants/{tenant_id}',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
  // A revoked tenant's key is refused: its businesses are the admin's to export and erase.
  {
    operationId: 'exportTenantBusiness',
    method: 'GET',
    url: '/api/benchmarks/admin/tenants/{tenant_id}/contributions/acct-000123',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
  {
    operationId: 'eraseTenantBusiness',
    method: 'DELETE',
    url: '/api/benchmarks/admin/tenants/{tenant_id}/contributions/acct-000123',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
  {
    // Its last business is erased above: nothing is left to erase.
    operationId: 'eraseTenantContributions',
    method: 'DELETE',
    url: '/api/benchmarks/admin/tenants/{tenant_id}/contributions',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
];

/**
 * Fields whose values differ on every run (random ids and keys, times of the clock): shown as these fixed values in
 * the recorded examples, so the recording can be checked against a new run.
 */
export const VOLATILE_FIELDS: Readonly<Record<string, unknown>> = {
  tenant_id: '0b7e3c1e-6a55-4c8e-9d43-2f0e8f1c9a10',
  api_key: 'bmk_EXAMPLEonly-3q2r7wXnTz0aVb8cD9eF1gH2iJ3kL4mN5o',
  created_at: '2025-01-06T09:00:00.000Z',
  key_rotated_at: '2025-01-06T09:05:00.000Z',
  revoked_at: '2025-01-06T09:10:00.000Z',
  received_at: '2025-01-06T09:01:00.000Z',
  published_at: '2025-01-06T09:02:00.000Z',
  started_at: '2025-01-06T09:01:59.000Z',
  finished_at: '2025-01-06T09:02:00.000Z',
  duration_ms: 84,
};

/** A copy of an answer with every volatile field (at any depth) that holds a value set to its fixed one. */
function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      key in VOLATILE_FIELDS && field !== null
        ? VOLATILE_FIELDS[key]
        : normalised(field),
    ]),
  );
}

/**
 * Error answers shown on every operation's error responses, one per status, recorded from these requests (the key
 * of each in recorded-examples.json is `status <code>`).
 */
export const ERROR_EXAMPLE_REQUESTS: readonly ExampleRequest[] = [
  {
    operationId: 'status 400',
    method: 'POST',
    url: '/api/benchmarks/data',
    body: { industry: 'retail', company_size: 'huge' },
  },
  { operationId: 'status 401', method: 'DELETE', url: '/api/benchmarks/cache' },
  {
    operationId: 'status 404',
    method: 'GET',
    url: '/api/benchmarks/industries/bakeries',
  },
  {
    operationId: 'status 413',
    method: 'POST',
    url: '/api/benchmarks/compare',
    body: {
      industry: 'retail',
      user_values: { profit_margin: 0.1 },
      padding: 'x'.repeat(70_000),
    },
  },
  {
    operationId: 'status 409',
    method: 'POST',
    url: '/api/benchmarks/admin/tenants/{tenant_id}/rotate-key',
    headers: { authorization: `Bearer ${EXAMPLE_ADMIN_KEY}` },
  },
  {
    operationId: 'status 414',
    method: 'GET',
    url: `/api/benchmarks/industries/${'a'.repeat(101)}`,
  },
  {
    operationId: 'status 415',
    method: 'POST',
    url: '/api/benchmarks/compare',
    headers: { 'content-type': 'text/plain' },
    body: 'industry=retail',
  },
];

/**
 * The real `tenant_id` and `api_key` of the tenant the examples created (and rotated), for the requests that name
 * them as `{tenant_id}` and `{api_key}`. Per app: the examples of one app run in order.
 */
const context = new WeakMap<NestFastifyApplication, Record<string, string>>();

function filled(app: NestFastifyApplication, text: string): string {
  const values = context.get(app) ?? {};
  return text.replace(
    /\{(tenant_id|api_key)\}/g,
    (placeholder, name: string) => {
      const value = values[name];
      if (!value)
        throw new Error(`${placeholder} is used before an example answered it`);
      return value;
    },
  );
}

/** Remembers the tenant id and key an answer holds, for the requests that follow. */
function remember(app: NestFastifyApplication, answer: unknown): void {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
    return;
  const values = context.get(app) ?? {};
  for (const name of ['tenant_id', 'api_key'])
    if (typeof (answer as Record<string, unknown>)[name] === 'string')
      values[name] = (answer as Record<string, string>)[name];
  context.set(app, values);
}

/** Sends an example request to the app (with an extra Accept header if given). */
function send(
  app: NestFastifyApplication,
  request: ExampleRequest,
  accept?: string,
) {
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([name, value]) => [
      name,
      filled(app, value),
    ]),
  );
  return app.inject({
    method: request.method,
    url: filled(app, request.url),
    headers: accept ? { ...headers, accept } : headers,
    ...(request.body === undefined ? {} : { payload: request.body as object }),
  });
}

/** Sends every error example request to the app and records the answers, keyed `status <code>`. */
export async function captureErrorExamples(
  app: NestFastifyApplication,
  requests: readonly ExampleRequest[] = ERROR_EXAMPLE_REQUESTS,
): Promise<Examples> {
  const examples: Examples = {};
  for (const request of requests) {
    const res = await send(app, request);
    if (request.operationId !== `status ${res.statusCode}`) {
      throw new Error(
        `the error example "${request.operationId}" answered ${res.statusCode}: ${res.body}`,
      );
    }
    // A message may name the example tenant: its random id is shown as the fixed one.
    const answer = JSON.parse(
      res.body.replace(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
        VOLATILE_FIELDS.tenant_id as string,
      ),
    ) as unknown;
    examples[request.operationId] = {
      status: res.statusCode,
      response: normalised(answer),
    };
  }
  return examples;
}

/** Sends every example request to the app and records the answers. */
export async function captureExamples(
  app: NestFastifyApplication,
  requests: readonly ExampleRequest[] = EXAMPLE_REQUESTS,
): Promise<Examples> {
  const examples: Examples = {};
  for (const request of requests) {
    let res = await send(app, request);
    for (
      const until = Date.now() + 60_000;
      request.repeatUntil &&
      res.statusCode < 300 &&
      !request.repeatUntil(res.json()) &&
      Date.now() < until;
      res = await send(app, request)
    )
      await new Promise((resolve) => setTimeout(resolve, 20));
    if (res.statusCode >= 300) {
      throw new Error(
        `the example of ${request.operationId} answered ${res.statusCode}: ${res.body}`,
      );
    }
    let csv: string | undefined;
    if (request.csv) {
      const asCsv = await send(app, request, 'text/csv');
      if (!asCsv.headers['content-type']?.toString().startsWith('text/csv')) {
        throw new Error(
          `the example of ${request.operationId} did not answer CSV: ${asCsv.statusCode} ${asCsv.body}`,
        );
      }
      csv = asCsv.body;
    }
    remember(app, res.json());
    examples[request.operationId] = {
      ...(request.body === undefined ? {} : { request: request.body }),
      status: res.statusCode,
      response: normalised(res.json()),
      ...(csv === undefined ? {} : { csv }),
    };
  }
  return examples;
}
