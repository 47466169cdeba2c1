import type { OpenAPIObject } from '@nestjs/swagger';
import { ADMIN_KEY_UNSET_MESSAGE } from '../http/admin-key.guard';
import { rateLimitMessage } from '../http/rate-limit';

type PathItemObject = OpenAPIObject['paths'][string];
type OperationObject = NonNullable<PathItemObject['get']>;

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
