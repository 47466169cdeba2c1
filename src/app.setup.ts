import type { NestApplicationOptions } from '@nestjs/common';
import {
  FastifyAdapter,
  type NestFastifyApplication,
} from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_VERSION } from './common/app-info';
import { registerJsonBodyParser } from './common/json-body-parser';

/** Every route is served under this prefix, as in the prototype's contract. */
export const API_PREFIX = 'api/benchmarks';

/** Largest request body accepted; a larger one is refused with 413. Real requests are well under 4 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** The HTTP adapter, with the same options in production and in tests. */
export function createAdapter(): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
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
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
