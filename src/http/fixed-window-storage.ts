import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis, { type RedisOptions } from 'ioredis';

export type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** A fixed-window hit counter: the throttler's storage without its block duration and throttler name. */
export interface WindowCounter extends OnApplicationShutdown {
  increment(key: string, ttl: number, limit: number): Promise<StorageRecord>;
  onApplicationShutdown(): void;
}

/**
 * The throttler's answer for a window holding `hits` that ends in `msLeft`: blocked beyond `limit` until the window
 * ends (the throttler sends that as `Retry-After`, in whole seconds).
 */
function record(hits: number, msLeft: number, limit: number): StorageRecord {
  const timeToExpire = Math.max(1, Math.ceil(msLeft / 1000));
  const isBlocked = hits > limit;
  return {
    totalHits: hits,
    timeToExpire,
    isBlocked,
    timeToBlockExpire: isBlocked ? timeToExpire : 0,
  };
}

/**
 * Rate-limit counting in this process: one counter per key and fixed window (`ttl` ms from the key's first hit), so a
 * request costs one map lookup whatever the limit. The throttler's own in-process storage keeps every hit's expiry
 * and filters them on each request, a cost that grows with the hits the window holds (BENCHMARKS.md, issue 18).
 * Expired windows are swept once a window length, so memory follows the keys seen in one window.
 */
export class InProcessFixedWindowStorage
  implements ThrottlerStorage, WindowCounter
{
  private readonly windows = new Map<
    string,
    { hits: number; endsAt: number }
  >();
  private sweep?: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {}

  increment(key: string, ttl: number, limit: number): Promise<StorageRecord> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttl };
      this.windows.set(key, window);
      this.sweep ??= setInterval(() => this.evict(), ttl).unref();
    }
    window.hits++;
    return Promise.resolve(record(window.hits, window.endsAt - now, limit));
  }

  /** Drops the windows that have ended. */
  evict(): void {
    const now = this.now();
    for (const [key, window] of this.windows)
      if (window.endsAt <= now) this.windows.delete(key);
  }

  /** Keys with a window open (for tests and the sweep's bound). */
  get size(): number {
    return this.windows.size;
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
  }
}

/** One round trip: count the hit, start the window on the first, answer the count and the window's time left. */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {hits, left}
`;

interface WithHitCommand {
  fixedWindowHit(key: string, ttl: number): Promise<[number, number]>;
}

/**
 * Rate-limit counting in Redis, shared by every instance: the same fixed window as in process, one counter key per
 * client and window, counted by a Lua script sent once (ioredis runs it by its SHA afterwards). A counter without an
 * expiry (a crash between the two calls cannot happen inside a script, but a key written by hand could) gets one.
 */
export class RedisFixedWindowStorage
  implements ThrottlerStorage, WindowCounter
{
  readonly redis: Redis;

  constructor(url: string, options: RedisOptions) {
    this.redis = new Redis(url, options);
    this.redis.defineCommand('fixedWindowHit', {
      numberOfKeys: 1,
      lua: HIT_SCRIPT,
    });
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
  ): Promise<StorageRecord> {
    const [hits, left] = await (
      this.redis as unknown as WithHitCommand
    ).fixedWindowHit(key, ttl);
    return record(hits, left, limit);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
