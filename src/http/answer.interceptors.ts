import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { CSV_CONTENT_TYPE } from '../common/csv/csv';
import { prefersCsv } from './csv-negotiation';
import { setDataWarningsHeader } from './data-warnings';

const CSV_WRITER = Symbol('csvWriter');
const WARNINGS_OF = Symbol('warningsOf');

/**
 * Sets the X-Data-Warnings header from the handler's answer, with the warnings `of` finds in it (see
 * {@link AnswerWith}); the answer itself goes on unchanged.
 */
@Injectable()
export class DataWarningsInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const of = this.reflector.get<(body: unknown) => readonly string[]>(
      WARNINGS_OF,
      context.getHandler(),
    );
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        setDataWarningsHeader(reply, of(body));
        return body;
      }),
    );
  }
}

/**
 * Answers CSV instead of the handler's JSON when the Accept header prefers it (see prefersCsv), written by the
 * handler's {@link AnswerWith} writer; every answer says `Vary: Accept`.
 */
@Injectable()
export class CsvInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const write = this.reflector.get<(body: unknown) => string>(
      CSV_WRITER,
      context.getHandler(),
    );
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const csv = prefersCsv(http.getRequest<FastifyRequest>().headers.accept);
    void reply.header('Vary', 'Accept');
    if (!csv) return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        void reply.type(CSV_CONTENT_TYPE);
        return write(body);
      }),
    );
  }
}

/** What the edge does with a handler's answer besides sending it (see {@link AnswerWith}). */
export interface AnswerOptions<T> {
  /** The data warnings in the answer, reported in the X-Data-Warnings header too. */
  readonly warnings?: (body: T) => readonly string[];
  /** The answer as a CSV document, sent instead when the Accept header prefers CSV. */
  readonly csv?: (body: T) => string;
}

/**
 * The handler returns its DTO; the edge reports its warnings in a header and, where the client prefers it, answers
 * CSV. The warnings are read from the JSON answer, before any CSV conversion (the CSV interceptor is the outer one).
 */
export function AnswerWith<T>(options: AnswerOptions<T>): MethodDecorator {
  const decorators: Array<MethodDecorator> = [];
  const interceptors: Array<
    typeof CsvInterceptor | typeof DataWarningsInterceptor
  > = [];
  if (options.csv) {
    decorators.push(SetMetadata(CSV_WRITER, options.csv));
    interceptors.push(CsvInterceptor);
  }
  if (options.warnings) {
    decorators.push(SetMetadata(WARNINGS_OF, options.warnings));
    interceptors.push(DataWarningsInterceptor);
  }
  return applyDecorators(...decorators, UseInterceptors(...interceptors));
}
