import type { NestApplicationOptions } from '@nestjs/common';
import {
  FastifyAdapter,
  type NestFastifyApplication,
} from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { registerRequestLog } from './http/request-log';
import { answerClientErrors } from './http/client-error';
import { securityHeaders } from './http/security-headers';
import { MetricsService } from './metrics/metrics.service';
import { httpConfig, type HttpConfig } from './config/http.config';
import { registerAnswerInterceptors } from './http/answer-interceptors';
import { registerJsonBodyParser } from './http/json-body-parser';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { BATCH_PATH } from './contributions/contributions.controller';
import { TenantAuthenticator } from './tenants/tenant-authenticator';
import { tenantKeyBeforeBody } from './tenants/tenant-key.guard';

import { API_PREFIX } from './common/api-prefix';

export { API_PREFIX };

/** Largest body POST /contributions/batch takes (1,000 records of a few metrics each are well under it). */
export const BATCH_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

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

/** The security headers of every answer (helmet's, computed once). */
const SECURITY_HEADERS = securityHeaders();

/**
 * The security headers for the answers Fastify gives before any hook runs (its router's, and the client errors of
 * Node's HTTP parser): an error body is JSON that loads nothing, so its content security policy allows nothing.
 */
const FRAMEWORK_ERROR_HEADERS = {
  ...SECURITY_HEADERS,
  'content-security-policy': "default-src 'none'; frame-ancestors 'self'",
};

/**
 * The methods a browser may use across origins: every method the API routes (HEAD with GET). A test compares them
 * with the OpenAPI document's, so a route with a new method fails it until it is added here.
 */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;

/** A client's `x-request-id` is kept when it is a plain token; anything else gets a fresh UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

/** The HTTP adapter, with the same options in production and in tests. */
export function createAdapter(http: HttpConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: http.bodyLimitBytes,
    genReqId: (request: {
      headers: Record<string, string | string[] | undefined>;
    }) => requestIdOf(request.headers['x-request-id']),
    routerOptions: {
      maxParamLength: MAX_PARAM_LENGTH,
      ignoreTrailingSlash: true,
    },
    // What Node's HTTP parser refuses never reaches the router: answered here, with the same headers.
    clientErrorHandler: answerClientErrors(FRAMEWORK_ERROR_HEADERS),
    frameworkErrors: (
      error: FastifyError,
      _request: FastifyRequest,
      reply: FastifyReply,
    ) => {
      const body = frameworkError(error);
      void reply
        .code(body.statusCode)
        .headers(FRAMEWORK_ERROR_HEADERS)
        .send(body);
    },
  });
}

/** Nest options, the same in production and in tests: Nest's own body parsers are replaced by ours. */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

/**
 * Security headers, CORS, body parser, request ids and log, global prefix and Swagger: everything about the app that
 * is not a module. Shared by main.ts and the e2e tests.
 */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const http = app.get<HttpConfig>(httpConfig.KEY);
  const fastify = app.getHttpAdapter().getInstance();
  if (http.corsOrigins) {
    const origins = http.corsOrigins;
    app.enableCors({
      origin: origins.includes('*') ? true : [...origins],
      methods: [...CORS_METHODS],
      allowedHeaders: ['content-type', 'authorization', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'x-data-warnings', 'retry-after'],
      maxAge: 600,
    });
  }
  registerJsonBodyParser(fastify, http.bodyLimitBytes);
  // A batch of up to 1,000 contributions is larger than any other body: its route alone takes up to 4 MiB, from
  // tenants only (the key is checked before the body is read).
  const tenantFirst = tenantKeyBeforeBody(app.get(TenantAuthenticator));
  fastify.addHook('onRoute', (route) => {
    if (route.url !== `/${API_PREFIX}/${BATCH_PATH}`) return;
    route.bodyLimit = Math.max(http.bodyLimitBytes, BATCH_BODY_LIMIT_BYTES);
    route.onRequest = [
      ...(route.onRequest ? [route.onRequest].flat() : []),
      tenantFirst,
    ];
  });
  registerAnswerInterceptors(fastify);
  registerRequestLog(
    fastify,
    app.get(Logger),
    app.get(MetricsService),
    SECURITY_HEADERS,
    http.logLevel,
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
