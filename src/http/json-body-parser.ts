import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { jsonShapeProblem } from './json-shape';

/** Methods of the API that take no body. */
const BODILESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** Keys that could reach an object's prototype. No field or metric of the API has these names. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Why a parsed body is refused, or undefined: a forbidden key anywhere, which Nest's ValidationPipe would otherwise
 * delete silently, losing a field without a word. Iterative (no recursion); the body's size and shape were bounded by
 * {@link jsonShapeProblem} before it was parsed.
 */
function forbiddenKeyProblem(root: unknown): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Object.keys(value)) {
      if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key))
        return `The request body contains a forbidden key "${key}"`;
      stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}

/**
 * Makes `application/json` the only request body the app accepts (any other content type gets Fastify's 415) and
 * holds its text to the limits of {@link jsonShapeProblem} before parsing it with secure-json-parse. Errors are 400s whose message says what
 * is wrong, instead of Fastify's generic "Body is not valid JSON". The app is created with `bodyParser: false` so Nest
 * does not register its own parsers.
 */
export function registerJsonBodyParser(
  fastify: FastifyInstance,
  bodyLimit: number,
): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      const text = body as string;
      // A DELETE (or GET) takes no body: one sent with a JSON content type and nothing in it, as many HTTP clients
      // send every request, is no body at all.
      if (text.length === 0 && BODILESS.has(request.method)) {
        done(null, undefined);
        return;
      }
      if (text.trim().length === 0) {
        done(
          new BadRequestException(
            'The request body is empty; send a JSON object',
          ),
          undefined,
        );
        return;
      }
      const shape = jsonShapeProblem(text);
      if (shape) {
        done(new BadRequestException(shape), undefined);
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
      const problem = forbiddenKeyProblem(parsed);
      if (problem) done(new BadRequestException(problem), undefined);
      else done(null, parsed);
    },
  );
}
