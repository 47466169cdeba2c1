import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';
import { ERROR_KEYS } from './create-test-app';

/** Nest's error body. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

/** POSTs a JSON body (an object, or a raw string sent as it is) to a path of the app. */
export function postJson(
  app: NestFastifyApplication,
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

/** The error message, joined: validation errors come as a list. */
export function messageOf(body: ErrorBody): string {
  return Array.isArray(body.message) ? body.message.join(' | ') : body.message;
}

/** Asserts an error answer: the status, Nest's error shape and nothing more, and a message containing `expected`. */
export function expectErrorAnswer(
  res: LightMyRequestResponse,
  status: number,
  expected: string,
): ErrorBody {
  expect(res.statusCode).toBe(status);
  const body = res.json<ErrorBody>();
  expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
  expect(messageOf(body)).toContain(expected);
  return body;
}
