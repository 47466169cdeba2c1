import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, preSerializationHookHandler } from 'fastify';
import { CSV_CONTENT_TYPE } from '../common/csv/csv';
import { prefersCsv } from './csv-negotiation';
import { setDataWarningsHeader } from './data-warnings';

/** What the edge does with a handler's answer besides sending it (see {@link AnswerWith}). */
export interface AnswerOptions<T> {
  /** The data warnings in the answer, reported in the X-Data-Warnings header too. */
  readonly warnings?: (body: T) => readonly string[];
  /** The answer as a CSV document, sent instead when the Accept header prefers CSV. */
  readonly csv?: (body: T) => string;
  /** The JSON answer as written by the route's own writer, instead of Fastify's JSON.stringify. */
  readonly json?: (body: T) => string;
}

/**
 * The handler returns its DTO; the edge reports its warnings in a header and, where the client prefers it, answers
 * CSV (see {@link registerAnswerInterceptors}). The options travel in the route's Fastify config.
 */
export function AnswerWith<T>(options: AnswerOptions<T>): MethodDecorator {
  return RouteConfig({ answer: options });
}

const asIs = (payload: unknown): string => payload as string;

/** Fastify's content type for the JSON it serializes, kept for JSON written by a route's own writer. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The answer interceptors: on each route with {@link AnswerWith} options, a Fastify preSerialization hook that, on a
 * successful answer, sets X-Data-Warnings from the DTO's warnings, says `Vary: Accept` where CSV is possible, and
 * replaces the answer with its CSV document when the Accept header prefers CSV, or with its own writer's JSON. A
 * Fastify hook rather than a Nest interceptor: Nest's interceptor chain more than doubled a cached request's CPU
 * (BENCHMARKS.md). Registered before the routes are, as a route hook: other routes run nothing.
 */
export function registerAnswerInterceptors(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const config: unknown = route.config;
    const answer = (config as { answer?: AnswerOptions<unknown> } | undefined)
      ?.answer;
    if (!answer) return;
    const hook: preSerializationHookHandler = (
      request,
      reply,
      payload,
      done,
    ) => {
      if (reply.statusCode >= 300) return done(null, payload);
      if (answer.warnings)
        setDataWarningsHeader(reply, answer.warnings(payload));
      if (answer.csv) {
        void reply.header('Vary', 'Accept');
        if (prefersCsv(request.headers.accept)) {
          void reply.type(CSV_CONTENT_TYPE).serializer(asIs);
          return done(null, answer.csv(payload));
        }
      }
      if (answer.json) {
        void reply.type(JSON_CONTENT_TYPE).serializer(asIs);
        return done(null, answer.json(payload));
      }
      done(null, payload);
    };
    const existing = route.preSerialization;
    route.preSerialization = existing
      ? [...(Array.isArray(existing) ? existing : [existing]), hook]
      : hook;
  });
}
