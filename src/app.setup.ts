import type { NestApplicationOptions } from '@nestjs/common';
import {
  FastifyAdapter,
  type NestFastifyApplication,
} from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { APP_VERSION } from './common/app-info';
import { registerJsonBodyParser } from './common/json-body-parser';

/** Every route is served under this prefix, as in the prototype's contract. */
export const API_PREFIX = 'api/benchmarks';

/** Largest request body accepted; a larger one is refused with 413. Real requests are well under 4 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Longest path parameter the router accepts; longer ones are refused with 414 before any route runs. */
export const MAX_PARAM_LENGTH = 100;

/**
 * Errors Fastify's router raises before Nest sees the request (a path parameter that is too long, a malformed
 * percent-encoding), answered in Nest's error shape with a message that does not echo the URL.
 */
function frameworkError(
  error: Error & { code?: string; statusCode?: number },
): {
  statusCode: number;
  error: string;
  message: string;
} {
  const statusCode = error.statusCode ?? 400;
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `A path segment is longer than ${MAX_PARAM_LENGTH} characters`
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The URL is malformed (invalid percent-encoding)'
        : 'The request could not be routed';
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** The HTTP adapter, with the same options in production and in tests. */
export function createAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: {
      maxParamLength: MAX_PARAM_LENGTH,
      ignoreTrailingSlash: true,
    },
    frameworkErrors: (
      error: FastifyError,
      _request: FastifyRequest,
      reply: FastifyReply,
    ) => {
      const body = frameworkError(error);
      void reply.code(body.statusCode).send(body);
    },
  });
}

/** Nest options, the same in production and in tests: Nest's own body parsers are replaced by ours. */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

/** Body parser, global prefix and Swagger: everything about the app that is not a module. Shared by main.ts and the e2e tests. */
export function configureApp(app: NestFastifyApplication): void {
  registerJsonBodyParser(app.getHttpAdapter().getInstance(), BODY_LIMIT_BYTES);
  app.setGlobalPrefix(API_PREFIX);
  const config = new DocumentBuilder()
    .setTitle('benchmark-api')
    .setDescription(
      'How a small business compares with its peers: monthly benchmark series (10th-90th percentiles, sample size, source) ' +
        'by industry, company size and US region, and comparisons of your own values against them. ' +
        'Fractions are decimals (0.10 means 10%). Errors use the shape {statusCode, error, message}.',
    )
    .setVersion(APP_VERSION)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'The ADMIN_API_KEY configured on the service.',
      },
      'admin-key',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
