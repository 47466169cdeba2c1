import {
  ArgumentsHost,
  Catch,
  HttpException,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';

// Fastify's own 415 message does not say what is accepted.
const UNSUPPORTED_MEDIA_TYPE_MESSAGE =
  'Unsupported Content-Type: send the request body as JSON with Content-Type: application/json';

/**
 * Gives every HTTP error Nest's body shape `{statusCode, error, message}`, including the errors Fastify raises
 * before a route runs (413 body too large, 415 unsupported media type), which Nest passes on without `error`.
 * Other exceptions are left to Nest's built-in handler: a generic 500 with no details, logged.
 */
@Catch(HttpException)
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const error = STATUS_CODES[status] ?? 'Error';
    const body =
      status === 415
        ? { statusCode: status, error, message: UNSUPPORTED_MEDIA_TYPE_MESSAGE }
        : typeof response === 'string'
          ? { statusCode: status, error, message: response }
          : { statusCode: status, error, ...response };
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(status)
      .send(body);
  }
}
