import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';

/** Keys that could reach an object's prototype. No field or metric of the API has these names. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deepest nesting a body may have; the API's own bodies are two levels deep. */
export const MAX_JSON_DEPTH = 16;

/**
 * Why a parsed body is refused, or undefined. Walks iteratively (no recursion, so no stack overflow), and refuses
 * forbidden keys, which Nest's ValidationPipe would otherwise delete silently, losing a field without a word.
 */
function bodyProblem(root: unknown): string | undefined {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH)
      return `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`;
    for (const key of Object.keys(value)) {
      if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) {
        return `The request body contains a forbidden key "${key}"`;
      }
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

/**
 * Makes `application/json` the only request body the app accepts (any other content type gets Fastify's 415) and
 * parses it with secure-json-parse. Errors are 400s whose message says what is wrong, instead of Fastify's generic
 * "Body is not valid JSON". The app is created with `bodyParser: false` so Nest does not register its own parsers.
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
      let parsed: unknown;
      try {
        parsed = sjson.parse(text, null, {
          protoAction: 'error',
          constructorAction: 'error',
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const message = /forbidden (prototype|constructor) property/.test(
          reason,
        )
          ? 'The request body contains a forbidden key "__proto__" or "constructor"'
          : `The request body is not valid JSON: ${reason}`;
        done(new BadRequestException(message), undefined);
        return;
      }
      const problem = bodyProblem(parsed);
      if (problem) done(new BadRequestException(problem), undefined);
      else done(null, parsed);
    },
  );
}
