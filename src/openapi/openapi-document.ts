import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { APP_VERSION } from '../common/app-info';
import { MAX_LISTED_PROBLEMS } from '../common/listed-problems';
import { JSON_BODY_LIMITS } from '../http/json-shape';
import { applyExamples, type Examples } from './examples';
import RECORDED_EXAMPLES from './recorded-examples.json';

/**
 * The OpenAPI document of the app (its routes must be registered and its global prefix set): what /docs shows,
 * /docs-json serves and `npm run openapi` writes to openapi.json. Operation ids are the handlers' names
 * (`compare`, `listIndustries`), so generated clients get readable method names. Examples are real answers,
 * recorded in recorded-examples.json by `npm run openapi` (see examples.ts).
 */
export function buildOpenApiDocument(
  app: INestApplication,
  examples: Readonly<Examples> = RECORDED_EXAMPLES,
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('benchmark-api')
    .setDescription(
      'How a small business compares with its peers: monthly benchmark series (10th-90th percentiles, sample size, source) ' +
        'by industry, company size (small 1-19, medium 20-99, large 100-499 employees) and US region, and comparisons of your own values against them. ' +
        "Every number says its source: `synthetic` (modelled), `bls` (US Bureau of Labor Statistics) or `census` (US Census Bureau); an instance's DATA_SOURCE decides which it serves. " +
        'Fractions are decimals (0.10 means 10%). Errors use the shape {statusCode, error, message}; a 400 lists at most ' +
        `${MAX_LISTED_PROBLEMS} problems, then says how many more there were. ` +
        `Request bodies are JSON of at most 64 KiB (BODY_LIMIT_BYTES; a contribution batch 4 MiB), refused with 400 before validation when any object has more than ${JSON_BODY_LIMITS.maxKeys} keys, ` +
        `a key more than ${JSON_BODY_LIMITS.maxKeyLength} characters, an array more than ${JSON_BODY_LIMITS.maxItems} items, a string more than ${JSON_BODY_LIMITS.maxStringLength} characters, ` +
        `the body more than ${JSON_BODY_LIMITS.maxValues} values or more than ${JSON_BODY_LIMITS.maxDepth} levels of nesting; each field's own limits are in its schema.`,
    )
    .setVersion(APP_VERSION)
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'The instance serving this document')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'The ADMIN_API_KEY configured on the service.',
      },
      'admin-key',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description:
          'A tenant key (bmk_...), as POST /api/benchmarks/admin/tenants or rotate-key answered it: for the contribution endpoints.',
      },
      'tenant-key',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey: string, methodKey: string) =>
      methodKey,
  });
  return applyExamples(document, examples);
}
