import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Examples } from '../../src/openapi/examples';

/** The admin key the example requests of `npm run openapi` send (to an app started with it, never a real one). */
export const EXAMPLE_ADMIN_KEY = 'example-admin-key-0123456789abcdef';

/** A request whose real answer becomes the documented example of its operation. */
export interface ExampleRequest {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** The operation also answers CSV (`Accept: text/csv`): record that answer too. */
  readonly csv?: boolean;
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
];

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

/** Sends an example request to the app (with an extra Accept header if given). */
function send(
  app: NestFastifyApplication,
  request: ExampleRequest,
  accept?: string,
) {
  return app.inject({
    method: request.method,
    url: request.url,
    headers: accept ? { ...request.headers, accept } : request.headers,
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
    examples[request.operationId] = {
      status: res.statusCode,
      response: res.json(),
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
    const res = await send(app, request);
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
    examples[request.operationId] = {
      ...(request.body === undefined ? {} : { request: request.body }),
      status: res.statusCode,
      response: res.json(),
      ...(csv === undefined ? {} : { csv }),
    };
  }
  return examples;
}
