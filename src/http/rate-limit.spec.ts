import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerGuard } from '@nestjs/throttler';
import { RateLimitGuard } from './rate-limit';

describe('RateLimitGuard', () => {
  const context = {} as ExecutionContext;
  const setup = (limit: number) => {
    const throttler = { canActivate: jest.fn(() => Promise.resolve(false)) };
    return {
      throttler,
      guard: new RateLimitGuard(throttler as unknown as ThrottlerGuard, {
        rateLimitPerMinute: limit,
      }),
    };
  };

  it('should let every request through at once, without the throttler, when the limit is 0', () => {
    const { guard, throttler } = setup(0);
    expect(guard.canActivate(context)).toBe(true);
    expect(throttler.canActivate).not.toHaveBeenCalled();
  });

  it("should give the throttler's answer when there is a limit", async () => {
    const { guard, throttler } = setup(60);
    await expect(guard.canActivate(context)).resolves.toBe(false);
    expect(throttler.canActivate).toHaveBeenCalledWith(context);
  });
});
