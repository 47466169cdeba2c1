import {
  ArgumentsHost,
  Catch,
  HttpException,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import {
  DatabaseTimeoutError,
  DatabaseUnavailableError,
} from '../database/database';

/** Seconds a client is told to wait (Retry-After) when the database cannot take a write. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Fastify's own 415 message does not say what is accepted.
const UNSUPPORTED_MEDIA_TYPE_MESSAGE =
  'Unsupported Content-Type: send the request body as JSON with Content-Type: application/json';

/**
 * The 4xx status a non-Nest error carries, if any: Fastify plugins (the static files of /docs) throw http-errors
 * such as 403 for a path that climbs out of the served folder or 400 for a null byte in it. They are the client's
 * mistakes, not the service's.
 */
function clientErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { statusCode, status } = exception as {
    statusCode?: unknown;
    status?: unknown;
  };
  const code = typeof statusCode === 'number' ? statusCode : status;
  return typeof code === 'number' &&
    Number.isInteger(code) &&
    code >= 400 &&
    code < 500
    ? code
    : undefined;
}

/**
 * Gives every error answer Nest's body shape `{statusCode, error, message}`: HTTP exceptions, the errors Fastify
 * raises before a route runs (413 body too large, 415 unsupported media type, which Nest passes on without
 * `error`), 4xx errors of Fastify plugins (answered with their status and its standard text, since their messages
 * may describe files), and anything unexpected, which becomes a generic 500 whose details go to the log, never the
 * client.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const clientStatus =
      exception instanceof HttpException
        ? undefined
        : clientErrorStatus(exception);
    if (clientStatus !== undefined) {
      const error = STATUS_CODES[clientStatus] ?? 'Error';
      void reply.status(clientStatus).send({
        statusCode: clientStatus,
        error,
        message: `${error}: the request cannot be served`,
      });
      return;
    }
    if (exception instanceof DatabaseTimeoutError) {
      this.logger.warn(`Database too slow: ${exception.message}`);
      void reply
        .status(504)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send({
          statusCode: 504,
          error: STATUS_CODES[504],
          message: `The contribution store did not answer within DATABASE_TIMEOUT_MS: nothing was stored or changed. Retry after ${DATABASE_RETRY_AFTER_SECONDS} seconds (Retry-After).`,
        });
      return;
    }
    if (exception instanceof DatabaseUnavailableError) {
      // Only writes and tenant checks reach here: reads fall back to the last publication or the next source.
      this.logger.warn(`Database unavailable: ${exception.message}`);
      void reply
        .status(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send({
          statusCode: 503,
          error: STATUS_CODES[503],
          message: `The contribution store is unavailable: nothing was stored. Retry after ${DATABASE_RETRY_AFTER_SECONDS} seconds (Retry-After).`,
        });
      return;
    }
    if (!(exception instanceof HttpException)) {
      this.logger.error(
        'Unexpected error while handling a request',
        exception instanceof Error ? exception.stack : String(exception),
      );
      void reply.status(500).send({
        statusCode: 500,
        error: STATUS_CODES[500],
        message: 'Internal server error',
      });
      return;
    }
    const status = exception.getStatus();
    const response = exception.getResponse();
    const error = STATUS_CODES[status] ?? 'Error';
    const body =
      status === 415
        ? { statusCode: status, error, message: UNSUPPORTED_MEDIA_TYPE_MESSAGE }
        : typeof response === 'string'
          ? { statusCode: status, error, message: response }
          : { statusCode: status, error, ...response };
    void reply.status(status).send(body);
  }
}
