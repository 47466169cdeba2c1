import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
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
 * The answer interceptors: a Fastify preSerialization hook that, on a route with {@link AnswerWith} options and a
 * successful answer, sets X-Data-Warnings from the DTO's warnings, says `Vary: Accept` where CSV is possible, and
 * replaces the answer with its CSV document when the Accept header prefers CSV, or with its own writer's JSON. A
 * Fastify hook rather than a Nest interceptor: Nest's interceptor chain more than doubled a cached request's CPU
 * (BENCHMARKS.md).
 */
export function registerAnswerInterceptors(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    const answer = (
      request.routeOptions.config as { answer?: AnswerOptions<unknown> }
    ).answer;
    if (!answer || reply.statusCode >= 300) {
      done(null, payload);
      return;
    }
    if (answer.warnings) setDataWarningsHeader(reply, answer.warnings(payload));
    if (answer.csv) {
      void reply.header('Vary', 'Accept');
      if (prefersCsv(request.headers.accept)) {
        void reply.type(CSV_CONTENT_TYPE).serializer(asIs);
        done(null, answer.csv(payload));
        return;
      }
    }
    if (answer.json) {
      void reply.type(JSON_CONTENT_TYPE).serializer(asIs);
      done(null, answer.json(payload));
      return;
    }
    done(null, payload);
  });
}
