import {
  ForbiddenException,
  UnauthorizedException,
  type ExecutionContext,
} from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AdminKeyGuard } from './admin-key.guard';

// The real comparison, watched: the guard must go through it for every key it is sent.
jest.mock('node:crypto', () => {
  const actual =
    jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const KEY = 'guard-spec-admin-key-0123456789';

function guardWith(key: string | undefined): AdminKeyGuard {
  return new AdminKeyGuard(key ? { adminKey: key } : {});
}

function contextWith(authorization: string | undefined): {
  context: ExecutionContext;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  const reply = {
    header: (name: string, value: string) => {
      headers[name] = value;
      return reply;
    },
  };
  const request = { headers: authorization ? { authorization } : {} };
  const context = {
    switchToHttp: () => ({
      getRequest: () => request,
      getResponse: () => reply,
    }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

/** The exception the guard throws for `authorization`, or undefined when it lets the request through. */
function refusal(
  guard: AdminKeyGuard,
  authorization: string | undefined,
): Error | undefined {
  try {
    guard.canActivate(contextWith(authorization).context);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('AdminKeyGuard', () => {
  describe('canActivate', () => {
    it('should let the configured key through as a Bearer token, whatever the case of the scheme', () => {
      const guard = guardWith(KEY);
      expect(guard.canActivate(contextWith(`Bearer ${KEY}`).context)).toBe(
        true,
      );
      expect(guard.canActivate(contextWith(`bearer ${KEY}`).context)).toBe(
        true,
      );
    });

    it.each([
      ['no header', undefined],
      ['an empty bearer token', 'Bearer '],
      ['a wrong key', 'Bearer wrong-wrong-wrong-wrong-wrong'],
      ['the key minus its last character', `Bearer ${KEY.slice(0, -1)}`],
      ['the key plus a character', `Bearer ${KEY}x`],
      ['the key in upper case', `Bearer ${KEY.toUpperCase()}`],
      ['the key without a scheme', KEY],
      ['the key twice', `Bearer ${KEY} ${KEY}`],
      ['Basic auth', `Basic ${Buffer.from(`a:${KEY}`).toString('base64')}`],
    ])(
      'should refuse %s with 401 and a challenge, never echoing a key',
      (_case, authorization) => {
        const guard = guardWith(KEY);
        const { context, headers } = contextWith(authorization);
        let thrown: unknown;
        try {
          guard.canActivate(context);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(UnauthorizedException);
        expect(headers['WWW-Authenticate']).toContain('Bearer');
        const text = JSON.stringify(
          (thrown as UnauthorizedException).getResponse(),
        );
        expect(text).not.toContain(KEY.slice(0, 8));
        expect(text).not.toContain('wrong-wrong');
      },
    );

    it('should compare in constant time: equal-length digests through timingSafeEqual, whatever length was sent', () => {
      const compare = jest.mocked(timingSafeEqual);
      const guard = guardWith(KEY);
      for (const sent of ['x', KEY.slice(0, -1), `${KEY}x`, 'k'.repeat(5000)]) {
        compare.mockClear();
        expect(refusal(guard, `Bearer ${sent}`)).toBeInstanceOf(
          UnauthorizedException,
        );
        // No shortcut on length or on a first differing character: exactly one comparison of 32-byte digests.
        expect(compare).toHaveBeenCalledTimes(1);
        const [a, b] = compare.mock.calls[0] as [Buffer, Buffer];
        expect(a).toHaveLength(32);
        expect(b).toHaveLength(32);
      }
      compare.mockClear();
      expect(refusal(guard, `Bearer ${KEY}`)).toBeUndefined();
      expect(compare).toHaveBeenCalledTimes(1);
    });

    it('should refuse everything with 403 when no key is configured, even a request that sends one', () => {
      const guard = guardWith(undefined);
      for (const authorization of [undefined, `Bearer ${KEY}`, 'Bearer ']) {
        expect(refusal(guard, authorization)).toBeInstanceOf(
          ForbiddenException,
        );
      }
    });
  });
});
