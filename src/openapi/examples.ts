import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ADMIN_KEY_UNSET_MESSAGE } from '../cache/admin-key.guard';
import { rateLimitMessage } from '../common/rate-limit';

type PathItemObject = OpenAPIObject['paths'][string];
type OperationObject = NonNullable<PathItemObject['get']>;

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

/** One operation's example: the request body sent (if any), and the answer's status and body. */
export interface OperationExample {
  readonly request?: unknown;
  readonly status: number;
  readonly response: unknown;
  /** The CSV answer to the same request, for operations that negotiate it. */
  readonly csv?: string;
}

export type Examples = Record<string, OperationExample>;

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

/**
 * The error answers no example request can provoke on a default instance (no admin key configured, a rate limit
 * reached, Redis down), written from the messages the code sends.
 */
export const WRITTEN_ERROR_EXAMPLES: Readonly<Record<string, unknown>> = {
  '403': {
    statusCode: 403,
    error: 'Forbidden',
    message: ADMIN_KEY_UNSET_MESSAGE,
  },
  '429': {
    statusCode: 429,
    error: 'Too Many Requests',
    message: rateLimitMessage(1200),
  },
  '503': {
    statusCode: 503,
    error: 'Service Unavailable',
    message:
      'The cache was not cleared: Redis at 127.0.0.1:6379 is not reachable. Retry when it is back.',
  },
};

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

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Puts each example on its operation: the request body's and the success response's `example` (JSON and CSV), and
 * on every error response the error example of its status.
 */
export function applyExamples(
  document: OpenAPIObject,
  examples: Readonly<Examples>,
): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      const example = operation?.operationId
        ? examples[operation.operationId]
        : undefined;
      if (!operation) continue;
      for (const [status, answer] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || !answer || !('description' in answer))
          continue;
        const error =
          examples[`status ${status}`]?.response ??
          WRITTEN_ERROR_EXAMPLES[status];
        const media = answer.content?.['application/json'];
        // Only answers in the service's error shape (readiness answers 503 in terminus's own).
        const shape =
          media?.schema && '$ref' in media.schema ? media.schema.$ref : '';
        if (media && error !== undefined && shape.endsWith('/ErrorResponseDto'))
          media.example = error;
      }
      if (!example) continue;
      const body = operation.requestBody;
      if (example.request !== undefined && body && 'content' in body) {
        const media = body.content['application/json'];
        if (media) media.example = example.request;
      }
      const response = operation.responses[String(example.status)];
      if (response && 'description' in response) {
        response.content ??= {};
        response.content['application/json'] = {
          ...response.content['application/json'],
          example: example.response,
        };
        if (example.csv !== undefined) {
          response.content['text/csv'] = {
            schema: { type: 'string' },
            ...response.content['text/csv'],
            example: example.csv,
          };
        }
      }
    }
  }
  return document;
}
