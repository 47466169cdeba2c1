import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { PrivateRedis } from '../../test/utils/redis-server';
import {
  describeWithRedis,
  describeWithRedisServer,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../../test/utils/redis-test-env';
import { describeCacheStoreContract } from './cache-store.contract';
import { CacheUnavailableError } from './cache-store.interface';
import { RedisCacheStore, redisTarget } from './redis-cache-store';

/** A connected store; closed after each test. */
const open: RedisCacheStore[] = [];
async function connectedStore(
  url: string,
  prefix: string,
  commandTimeoutMs = 100,
  incidentQuietMs = 300,
): Promise<RedisCacheStore> {
  const store = new RedisCacheStore({
    url,
    prefix,
    commandTimeoutMs,
    connectTimeoutMs: 500,
    incidentQuietMs,
  });
  open.push(store);
  store.onModuleInit();
  await waitFor(() => store.status() === 'up', 5000);
  return store;
}

async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

/** A Logger level replaced by a silent spy, so a test can count what the store logs; restore it in `finally`. */
function silenced(level: 'warn' | 'log') {
  return jest
    .spyOn(Logger.prototype, level)
    .mockImplementation(() => undefined);
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.onApplicationShutdown()));
});

describe('redisTarget', () => {
  it('should leave user and password out of what is logged', () => {
    expect(redisTarget('redis://admin:s3cret@cache.internal:6380/2')).toBe(
      'redis://cache.internal:6380/2',
    );
    expect(redisTarget('redis://:s3cret@localhost')).toBe(
      'redis://localhost:6379',
    );
  });
});

describeWithRedis('RedisCacheStore on a real Redis', () => {
  const url = TEST_REDIS_URL!;
  let admin: Redis;

  beforeAll(() => {
    admin = new Redis(url);
  });

  afterAll(async () => {
    await admin.quit();
  });

  describeCacheStoreContract(
    'RedisCacheStore',
    () => connectedStore(url, uniquePrefix('contract')),
    (_store, ms) => new Promise((r) => setTimeout(r, ms)),
  );

  it('should store JSON under its prefix with a TTL on every key', async () => {
    const prefix = uniquePrefix('ttl');
    const store = await connectedStore(url, prefix);
    await store.setMany(
      [
        ['v1:a', { metric_name: 'profit_margin' }],
        ['v1:b', 2],
      ],
      120,
    );
    expect(JSON.parse((await admin.get(`${prefix}v1:a`))!)).toEqual({
      metric_name: 'profit_margin',
    });
    for (const key of [`${prefix}v1:a`, `${prefix}v1:b`]) {
      const ttl = await admin.ttl(key);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    }
    await store.clear();
  });

  it('should clear only its own prefix: foreign keys, even look-alikes, survive', async () => {
    const prefix = uniquePrefix('clear');
    const store = await connectedStore(url, prefix);
    const foreign = `${prefix.slice(0, -1)}X:foreign`; // shares all but the last character of the prefix
    const unrelated = uniquePrefix('other') + 'data';
    await admin.set(foreign, 'keep', 'EX', 60);
    await admin.set(unrelated, 'keep', 'EX', 60);
    await store.setMany(
      Array.from({ length: 1200 }, (_, i) => [`v1:k${i}`, i] as const),
      60,
    );
    expect(await store.clear()).toBe(1200);
    expect(await admin.get(foreign)).toBe('keep');
    expect(await admin.get(unrelated)).toBe('keep');
    expect(await admin.exists(`${prefix}v1:k0`, `${prefix}v1:k1199`)).toBe(0);
    await admin.del(foreign, unrelated);
  });

  it('should treat glob characters in the prefix literally when clearing', async () => {
    const base = uniquePrefix('glob');
    const store = await connectedStore(url, `${base}*[x]:`);
    await admin.set(`${base}other`, 'keep', 'EX', 60);
    await store.setMany([['v1:a', 1]], 60);
    expect(await store.clear()).toBe(1);
    expect(await admin.get(`${base}other`)).toBe('keep');
    await admin.del(`${base}other`);
  });

  it('should take an entry that is not JSON as a miss and count an error', async () => {
    const prefix = uniquePrefix('corrupt');
    const store = await connectedStore(url, prefix);
    await admin.set(`${prefix}v1:bad`, '{not json', 'EX', 60);
    expect(await store.getMany(['v1:bad'])).toEqual([undefined]);
    expect(store.stats().errors).toBe(1);
    await store.clear();
  });
});

describeWithRedisServer('RedisCacheStore when Redis dies and returns', () => {
  let redis: PrivateRedis;

  beforeEach(async () => {
    redis = await PrivateRedis.start();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.onApplicationShutdown()));
    await redis.stop();
  });

  it('should fail open on a slow Redis: a miss within about the command timeout, no error thrown', async () => {
    const prefix = uniquePrefix('slow');
    const store = await connectedStore(redis.url, prefix, 50);
    const slow = new Redis(redis.url);
    const warn = silenced('warn');
    try {
      await slow.ping();
      // CLIENT PAUSE stalls every client for 400 ms, as a Redis stuck in a slow command would.
      await slow.call('CLIENT', 'PAUSE', '400', 'ALL');
      expect(await store.getMany(['v1:a'])).toEqual([undefined]);
      // Ended by the 50 ms command timeout (its error, counted and logged), not by the 400 ms pause: a read that
      // waited for the pause would have found the key missing without an error.
      expect(store.stats().errors).toBe(1);
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('Command timed out'),
      );
      await new Promise((r) => setTimeout(r, 450));
    } finally {
      warn.mockRestore();
      slow.disconnect();
    }
  });

  it('should clear a Redis slower than the command timeout: a clear is not bound by the request-path timeout (regression: found by the CI benchmark smoke)', async () => {
    const prefix = uniquePrefix('slowclear');
    const store = await connectedStore(redis.url, prefix, 50);
    await store.setMany(
      [
        ['v1:a', 1],
        ['v1:b', 2],
      ],
      60,
    );
    const slow = new Redis(redis.url);
    try {
      await slow.ping();
      await slow.call('CLIENT', 'PAUSE', '300', 'ALL');
      expect(await store.clear()).toBe(2);
      expect(await store.getMany(['v1:a', 'v1:b'])).toEqual([
        undefined,
        undefined,
      ]);
    } finally {
      slow.disconnect();
    }
  });

  it('should send one probe at a time to a failing Redis, answering the other reads and counters at once (regression: found by the chaos run)', async () => {
    const store = await connectedStore(redis.url, uniquePrefix('probe'), 50);
    const slow = new Redis(redis.url);
    const warn = silenced('warn');
    try {
      await slow.ping();
      await slow.call('CLIENT', 'PAUSE', '600', 'ALL');
      expect(await store.getMany(['v1:a'])).toEqual([undefined]); // the first timeout: Redis is failing
      expect(store.status()).toBe('down');
      const order: string[] = [];
      const probe = store.getMany(['v1:a']).then(() => order.push('probe'));
      const others = [
        ...Array.from({ length: 5 }, () =>
          store.getMany(['v1:b']).then(() => order.push('read')),
        ),
        store.increment('n', 1, 60).then((n) => {
          expect(n).toBeUndefined();
          order.push('counter');
        }),
      ];
      await Promise.all([probe, ...others]);
      // The others did not wait for Redis: all answered before the probe's timeout.
      expect(order.indexOf('probe')).toBe(order.length - 1);
      expect(store.stats().errors).toBe(1 + 1 + 6);
      // Once Redis answers again, a probe finds it and the store is used again.
      await new Promise((r) => setTimeout(r, 650));
      await waitFor(() => {
        void store.getMany(['v1:a']);
        return store.status() === 'up';
      }, 3000);
      await store.setMany([['v1:c', 3]], 60);
      expect(await store.getMany(['v1:c'])).toEqual([3]);
    } finally {
      warn.mockRestore();
      slow.disconnect();
    }
  });

  it('should answer misses at once while Redis is down, log once per incident, and use Redis again when it is back', async () => {
    const warn = silenced('warn');
    const log = silenced('log');
    try {
      const store = await connectedStore(redis.url, uniquePrefix('outage'));
      await store.setMany([['v1:a', 1]], 60);
      expect(await store.getMany(['v1:a'])).toEqual([1]);

      await redis.stop();
      await waitFor(() => store.status() === 'down', 3000);
      // An outage of about 3 s, spanning several reconnection attempts, under steady use.
      const outageStarted = Date.now();
      let slowest = 0;
      while (Date.now() - outageStarted < 3000) {
        const started = Date.now();
        expect(await store.getMany(['v1:a'])).toEqual([undefined]);
        await store.setMany([['v1:b', 1]], 60);
        slowest = Math.max(slowest, Date.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
      // A guard against waiting on a dead Redis, not a speed target.
      expect(slowest).toBeLessThan(500);
      await expect(store.clear()).rejects.toBeInstanceOf(CacheUnavailableError);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toContain('unavailable');
      expect(log).not.toHaveBeenCalledWith(
        expect.stringContaining('reachable again'),
      );

      await redis.restart();
      const recoveredIn = await waitFor(() => store.status() === 'up', 10_000);
      expect(recoveredIn).toBeLessThan(10_000);
      await store.setMany([['v1:c', 3]], 60);
      expect(await store.getMany(['v1:c'])).toEqual([3]);
      await waitFor(
        () =>
          log.mock.calls.some(([m]) => String(m).includes('reachable again')),
        2000,
      );
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('should log one incident, not one per failure, when Redis flaps', async () => {
    const warn = silenced('warn');
    const log = silenced('log');
    const pauser = new Redis(redis.url);
    try {
      const store = await connectedStore(
        redis.url,
        uniquePrefix('flap'),
        50,
        1000,
      );
      for (let i = 0; i < 5; i++) {
        await pauser.call('CLIENT', 'PAUSE', '150', 'ALL');
        await store.getMany(['v1:a']); // times out
        await new Promise((r) => setTimeout(r, 200));
        await store.getMany(['v1:a']); // answers again
      }
      expect(store.stats().errors).toBeGreaterThanOrEqual(5);
      expect(warn).toHaveBeenCalledTimes(1);
      await waitFor(
        () =>
          log.mock.calls.some(([m]) => String(m).includes('reachable again')),
        3000,
      );
      expect(
        String(
          log.mock.calls.find(([m]) =>
            String(m).includes('reachable again'),
          )![0],
        ),
      ).toMatch(/\d+ failed operations/);
    } finally {
      pauser.disconnect();
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('should start while Redis is unreachable and connect when it appears', async () => {
    await redis.stop();
    const store = new RedisCacheStore({
      url: redis.url,
      prefix: uniquePrefix('late'),
      commandTimeoutMs: 100,
      connectTimeoutMs: 300,
    });
    open.push(store);
    const warn = silenced('warn');
    try {
      store.onModuleInit();
      expect(await store.getMany(['v1:a'])).toEqual([undefined]);
      expect(store.status()).toBe('down');
      await redis.restart();
      await waitFor(() => store.status() === 'up', 10_000);
      await store.setMany([['v1:a', 1]], 60);
      expect(await store.getMany(['v1:a'])).toEqual([1]);
    } finally {
      warn.mockRestore();
    }
  });
});
