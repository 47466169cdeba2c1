import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';

/**
 * Makes `application/json` the only request body the app accepts (any other content type gets Fastify's 415) and
 * parses it with secure-json-parse, refusing `__proto__` and `constructor.prototype` keys. Errors are 400s whose
 * message says what is wrong instead of Fastify's generic "Body is not valid JSON".
 * The app is created with `bodyParser: false` so Nest does not register its own parsers first.
 */
export function registerJsonBodyParser(
  fastify: FastifyInstance,
  bodyLimit: number,
): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const text = body as string;
      if (text.trim().length === 0) {
        done(
          new BadRequestException(
            'The request body is empty; send a JSON object',
          ),
          undefined,
        );
        return;
      }
      try {
        done(
          null,
          sjson.parse(text, null, {
            protoAction: 'error',
            constructorAction: 'error',
          }),
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const message = /forbidden (prototype|constructor) property/.test(
          reason,
        )
          ? 'The request body contains a forbidden key ("__proto__" or "constructor.prototype")'
          : `The request body is not valid JSON: ${reason}`;
        done(new BadRequestException(message), undefined);
      }
    },
  );
}
