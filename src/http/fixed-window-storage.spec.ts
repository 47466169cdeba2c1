import {
  describeWithRedis,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../../test/utils/redis-test-env';
import {
  InProcessFixedWindowStorage,
  RedisFixedWindowStorage,
} from './fixed-window-storage';

describe('InProcessFixedWindowStorage', () => {
  let now = 1_000_000;
  let storage: InProcessFixedWindowStorage;
  beforeEach(() => {
    now = 1_000_000;
    storage = new InProcessFixedWindowStorage(() => now);
  });
  afterEach(() => storage.onApplicationShutdown());

  it('should count hits per key in a window and block beyond the limit until the window ends', async () => {
    for (let i = 1; i <= 3; i++)
      await expect(storage.increment('a', 60_000, 3)).resolves.toEqual({
        totalHits: i,
        timeToExpire: 60,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
    now += 45_500;
    await expect(storage.increment('a', 60_000, 3)).resolves.toEqual({
      totalHits: 4,
      timeToExpire: 15,
      isBlocked: true,
      timeToBlockExpire: 15,
    });
    // Another client has its own budget.
    await expect(storage.increment('b', 60_000, 3)).resolves.toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
    // A new window starts afresh.
    now += 14_500;
    await expect(storage.increment('a', 60_000, 3)).resolves.toMatchObject({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
    });
  });

  it('should keep one counter per key whatever the hits (a million hits, one entry), and drop ended windows', async () => {
    for (let i = 0; i < 1_000_000; i++)
      await storage.increment('busy', 60_000, 2_000_000);
    expect(storage.size).toBe(1);
    await storage.increment('quiet', 60_000, 10);
    now += 60_000;
    storage.evict();
    expect(storage.size).toBe(0);
  });
});

describeWithRedis('RedisFixedWindowStorage', () => {
  let storage: RedisFixedWindowStorage;
  const prefix = uniquePrefix('rate');
  beforeAll(() => {
    storage = new RedisFixedWindowStorage(TEST_REDIS_URL!, {
      keyPrefix: prefix,
      maxRetriesPerRequest: 0,
    });
  });
  afterAll(async () => {
    const keys = await storage.redis.keys(`${prefix}*`);
    if (keys.length > 0)
      await storage.redis.del(...keys.map((k) => k.slice(prefix.length)));
    storage.onApplicationShutdown();
  });

  it('should count in one window shared by every client of the key, with its expiry set on the first hit', async () => {
    const first = await storage.increment('a', 60_000, 2);
    expect(first).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(first.timeToExpire).toBe(60);
    await storage.increment('a', 60_000, 2);
    await expect(storage.increment('a', 60_000, 2)).resolves.toMatchObject({
      totalHits: 3,
      isBlocked: true,
    });
    const ttl = await storage.redis.pttl('a');
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('should start a new window when the old one expires, and give a counter without an expiry one', async () => {
    await storage.increment('short', 200, 1);
    await new Promise((r) => setTimeout(r, 300));
    await expect(storage.increment('short', 200, 1)).resolves.toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
    await storage.redis.set('stuck', '5');
    await expect(storage.increment('stuck', 60_000, 10)).resolves.toMatchObject(
      { totalHits: 6, timeToExpire: 60 },
    );
    expect(await storage.redis.pttl('stuck')).toBeGreaterThan(59_000);
  });
});
