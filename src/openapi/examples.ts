import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';

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

/** Sends every example request to the app and records the answers. */
export async function captureExamples(
  app: NestFastifyApplication,
  requests: readonly ExampleRequest[] = EXAMPLE_REQUESTS,
): Promise<Examples> {
  const examples: Examples = {};
  for (const request of requests) {
    const res = await app.inject({
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.body === undefined
        ? {}
        : { payload: request.body as object }),
    });
    if (res.statusCode >= 300) {
      throw new Error(
        `the example of ${request.operationId} answered ${res.statusCode}: ${res.body}`,
      );
    }
    let csv: string | undefined;
    if (request.csv) {
      const asCsv = await app.inject({
        method: request.method,
        url: request.url,
        headers: { ...request.headers, accept: 'text/csv' },
        ...(request.body === undefined
          ? {}
          : { payload: request.body as object }),
      });
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

/** Puts each example on its operation: the request body's and the success response's `example`. */
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
      if (!operation || !example) continue;
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
