import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * The 200 answer of an endpoint that negotiates CSV: the JSON schema of `type` under application/json and a CSV
 * document (a string) under text/csv. (@ApiProduces would give both media types the JSON schema.)
 */
export function ApiOkJsonOrCsv(options: {
  readonly type: Type<unknown>;
  readonly isArray: boolean;
  readonly description: string;
  readonly headers?: NonNullable<
    Parameters<typeof ApiOkResponse>[0]
  >['headers'];
}): MethodDecorator {
  const ref = { $ref: getSchemaPath(options.type) };
  return applyDecorators(
    ApiExtraModels(options.type),
    ApiOkResponse({
      description: options.description,
      headers: options.headers,
      content: {
        'application/json': {
          schema: options.isArray ? { type: 'array', items: ref } : ref,
        },
        // Its example is a recorded real answer (src/openapi/examples.ts), like the JSON one.
        'text/csv': { schema: { type: 'string' } },
      },
    }),
  );
}
