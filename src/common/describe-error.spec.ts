import fc from 'fast-check';
import {
  InvalidEnvironmentError,
  validateEnvironment,
} from '../config/env.validation';
import { describeError, MAX_DESCRIPTION_LENGTH } from './describe-error';

/** The environment's validation error for `env`, as bootstrap meets it. */
function environmentError(env: Record<string, string>): Error {
  try {
    validateEnvironment(env);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the environment to be refused');
}

describe('describeError', () => {
  it("should give an Error's message as it is", () => {
    expect(describeError(new TypeError('x is not a function'))).toBe(
      'x is not a function',
    );
  });

  it("should keep the environment's validation lines, credentials already cut out, unchanged", () => {
    const error = environmentError({
      PORT: 'abc',
      DATABASE_URL: 'mysql://admin:hunter2@db.internal:3306/benchmarks',
      REDIS_URL: 'http://:s3cret@cache:6379',
    });
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const described = describeError(error);
    expect(described).toBe(error.message);
    expect(described.split('\n')).toHaveLength(3);
    expect(described).toContain(
      'DATABASE_URL="mysql://<credentials>@db.internal:3306/benchmarks"',
    );
    expect(described).not.toMatch(/hunter2|s3cret|admin/);
  });

  it("should add a cause's description when it says something the message does not, once", () => {
    expect(
      describeError(
        new Error('could not open the store', {
          cause: new Error('disk full'),
        }),
      ),
    ).toBe('could not open the store (cause: disk full)');
    expect(
      describeError(
        new Error('could not open the store: disk full', {
          cause: new Error('disk full'),
        }),
      ),
    ).toBe('could not open the store: disk full');
  });

  it('should add an error code the message does not name', () => {
    const refused = Object.assign(new Error('the server went away'), {
      code: 'ECONNRESET',
      errno: -104,
    });
    expect(describeError(refused)).toBe(
      'the server went away (code ECONNRESET)',
    );
    const named = Object.assign(
      new Error('ENOSPC: no space left on device, write'),
      { code: 'ENOSPC', errno: -28 },
    );
    expect(describeError(named)).toBe('ENOSPC: no space left on device, write');
  });

  it("should describe an AggregateError with an empty message (Node's failed connection) by its errors", () => {
    const error = Object.assign(
      new AggregateError(
        [
          new Error('connect ECONNREFUSED ::1:5432'),
          new Error('connect ECONNREFUSED 127.0.0.1:5432'),
        ],
        '',
      ),
      { code: 'ECONNREFUSED' },
    );
    expect(describeError(error)).toBe(
      'AggregateError (code ECONNREFUSED): connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
    );
  });

  it("should describe PGlite's ErrnoError (a plain object) by its name and errno", () => {
    expect(describeError({ name: 'ErrnoError', errno: 51 })).toBe(
      'ErrnoError (errno 51)',
    );
  });

  it('should describe an object by its message, name, code and status', () => {
    expect(
      describeError({ name: 'HttpError', message: 'Not Found', status: 404 }),
    ).toBe('HttpError: Not Found (status 404)');
    expect(describeError({ code: 'EPIPE' })).toBe(
      'an object was thrown (code EPIPE)',
    );
  });

  it('should show an object without those fields as bounded JSON, secret-looking keys redacted', () => {
    expect(
      describeError({ reason: 'quota', password: 'hunter2', apiKey: 'k' }),
    ).toBe(
      'an object was thrown: {"reason":"quota","password":"<redacted>","apiKey":"<redacted>"}',
    );
    const long = describeError({ reason: 'x'.repeat(5_000) });
    expect(long.length).toBeLessThan(400);
    expect(long.endsWith('…')).toBe(true);
  });

  it('should name an object with nothing to show by its class, and survive a circular one', () => {
    class Failure {}
    expect(describeError(new Failure())).toBe(
      'a Failure was thrown, without a message',
    );
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeError(circular)).toBe(
      'an object without a message was thrown',
    );
    const looping = new Error('outer');
    (looping as { cause?: unknown }).cause = looping;
    expect(describeError(looping)).toBe('outer');
  });

  it('should give a string as it is and say what other values were', () => {
    expect(describeError('the disk is full')).toBe('the disk is full');
    expect(describeError(42)).toBe('a non-error value was thrown: 42');
    expect(describeError(undefined)).toBe(
      'a non-error value was thrown: undefined',
    );
    expect(describeError(null)).toBe('a non-error value was thrown: null');
    expect(describeError(Symbol('boom'))).toBe(
      'a non-error value was thrown: Symbol(boom)',
    );
  });

  it('should cut credentials out of URLs in any message', () => {
    const described = describeError(
      new Error('could not reach redis://:hunter2@cache:6379/0', {
        cause: { message: 'via postgres://app:pw@db:5432/x' },
      }),
    );
    expect(described).toBe(
      'could not reach redis://<credentials>@cache:6379/0 (cause: via postgres://<credentials>@db:5432/x)',
    );
  });

  it('should bound the description', () => {
    expect(describeError(new Error('x'.repeat(10_000)))).toHaveLength(
      MAX_DESCRIPTION_LENGTH,
    );
  });

  it('should never give [object Object], a stack or more than the bound, whatever is thrown', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc
            .tuple(fc.string(), fc.anything())
            .map(([message, cause]) => new Error(message, { cause })),
        ),
        (thrown) => {
          const described = describeError(thrown);
          expect(described).not.toContain('[object Object]');
          expect(described).not.toMatch(/\n\s+at /);
          expect(described.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
          expect(described.trim()).not.toBe('');
        },
      ),
    );
  });
});
