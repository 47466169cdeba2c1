import type { FastifyInstance } from 'fastify';
import type { Logger } from 'nestjs-pino';
import type { MetricsService } from '../metrics/metrics.service';
import { shutdownState } from './shutdown-state';

/** The levels at which the per-request line (level info) is written. */
const REQUEST_LINE_LEVELS: ReadonlySet<string> = new Set([
  'info',
  'debug',
  'trace',
]);

/**
 * One log line per request, written when the response is sent: request id, method, route (the pattern, not the
 * URL, so no user input and no secrets), status and duration; the duration also goes to the request histogram. The
 * line is level info: below it (LOG_LEVEL warn and up) only failures are logged, and the entry is not even built.
 * The request id comes from `x-request-id` when the client sent a usable one (see createAdapter) and is echoed in the
 * response's `x-request-id` header.
 */
// nestjs-pino reads a string after an object as the log context, so the message goes inside the object.
export function registerRequestLog(
  fastify: FastifyInstance,
  logger: Logger,
  metrics: Pick<MetricsService, 'observeRequest'>,
  headers: Readonly<Record<string, string>> = {},
  logLevel = 'info',
): void {
  const logsRequests = REQUEST_LINE_LEVELS.has(logLevel);
  // One hook for every header sent on every answer (fewer hooks is measurably faster): the request id and the
  // fixed ones (security headers, computed once).
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header('x-request-id', request.id);
    done();
  });
  // While shutting down, every answer (also to a request that started before) says `Connection: close`.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (shutdownState.closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.observeRequest(
      request.method,
      route,
      status,
      reply.elapsedTime / 1000,
    );
    // 503 is an answer the service chose (not ready, shutting down), not a failure of its own.
    if (status >= 500 || logsRequests) {
      const entry = {
        req_id: request.id,
        method: request.method,
        route,
        status,
        duration_ms: Math.round(reply.elapsedTime * 10) / 10,
      };
      if (status >= 500 && status !== 503)
        logger.error({ msg: 'request failed', ...entry });
      else if (status === 503)
        logger.warn({ msg: 'request refused: unavailable', ...entry });
      else logger.log({ msg: 'request completed', ...entry });
    }
    done();
  });
}
