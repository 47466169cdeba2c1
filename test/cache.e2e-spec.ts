import { SyntheticDataSource } from '../src/data-sources/synthetic/synthetic-data-source';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { createTestApp, ERROR_KEYS } from './utils/create-test-app';
import { freePort, PrivateRedis } from './utils/redis-server';
import {
  describeWithRedis,
  describeWithRedisServer,
  TEST_REDIS_URL,
  uniquePrefix,
} from './utils/redis-test-env';

const ADMIN_API_KEY = 'test-admin-key-0123456789';
const DATA = {
  method: 'POST' as const,
  url: '/api/benchmarks/data',
  headers: { 'content-type': 'application/json' },
  payload: JSON.stringify({
    industry: 'restaurant',
    start_date: '2023-01-01',
    end_date: '2024-12-01',
  }),
};

interface Series {
  metric_name: string;
  data_points: Array<{ period: string; value: number; percentile_50: number }>;
}

/** A cached metric-year as the store holds it (src/benchmarks/year-block.codec.ts). */
interface StoredBlock {
  points: Array<{
    period: string;
    value: number;
    percentiles: { p50: number };
  }>;
}

const clearCache = (app: NestFastifyApplication, authorization?: string) =>
  app.inject({
    method: 'DELETE',
    url: '/api/benchmarks/cache',
    headers: authorization ? { authorization } : {},
  });

describe('DELETE /api/benchmarks/cache (e2e, in-process cache)', () => {
  describe('without ADMIN_API_KEY configured', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp();
    });

    afterAll(async () => {
      await app.close();
    });

    it('should answer 403 explaining how to enable clearing, whatever is sent', async () => {
      for (const auth of [undefined, 'Bearer anything-at-all-here']) {
        const res = await clearCache(app, auth);
        expect(res.statusCode).toBe(403);
        expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
        expect(res.json<{ message: string }>().message).toContain(
          'set ADMIN_API_KEY',
        );
      }
    });
  });

  describe('with ADMIN_API_KEY configured', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp({ env: { ADMIN_API_KEY } });
    });

    afterAll(async () => {
      await app.close();
    });

    it.each([
      ['no Authorization header', undefined],
      ['a wrong key', 'Bearer wrong-key-wrong-key-wrong'],
      ['a prefix of the key', `Bearer ${ADMIN_API_KEY.slice(0, -1)}`],
      ['the key without the Bearer scheme', ADMIN_API_KEY],
      [
        'Basic auth',
        `Basic ${Buffer.from(`admin:${ADMIN_API_KEY}`).toString('base64')}`,
      ],
    ])(
      'should answer 401 for %s, without echoing any key',
      async (_case, auth) => {
        const res = await clearCache(app, auth);
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toContain('Bearer');
        expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
        expect(res.body).not.toContain(ADMIN_API_KEY.slice(0, 10));
        expect(res.body).not.toContain('wrong-key');
      },
    );

    it('should clear with the right key, say how many entries, and keep serving the same numbers', async () => {
      const before = await app.inject(DATA);
      const res = await clearCache(app, `Bearer ${ADMIN_API_KEY}`);
      expect(res.statusCode).toBe(200);
      const body = res.json<{
        status: string;
        message: string;
        deleted: number;
      }>();
      expect(body).toEqual({
        status: 'success',
        message: 'Cache cleared',
        deleted: expect.any(Number) as number,
      });
      expect(body.deleted).toBeGreaterThanOrEqual(12); // 6 metrics x 2 years from the request above
      expect(
        (await clearCache(app, `bearer ${ADMIN_API_KEY}`)).json<{
          deleted: number;
        }>().deleted,
      ).toBe(0);
      expect((await app.inject(DATA)).json()).toEqual(before.json());
    });
  });
});

describeWithRedis('Redis cache shared by two instances (e2e)', () => {
  const prefix = uniquePrefix('e2e-shared');
  const env = {
    REDIS_URL: TEST_REDIS_URL!,
    CACHE_PREFIX: prefix,
    ADMIN_API_KEY,
    CACHE_TTL_SECONDS: '300',
  };
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;
  let admin: Redis;

  const waitForCacheUp = async (app: NestFastifyApplication): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const health = (
        await app.inject({ method: 'GET', url: '/api/benchmarks/health' })
      ).json<{
        cache: { status: string };
      }>();
      if (health.cache.status === 'up') return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('cache never came up');
  };

  beforeAll(async () => {
    admin = new Redis(TEST_REDIS_URL!);
    first = await createTestApp({ env });
    second = await createTestApp({ env });
    await waitForCacheUp(first);
    await waitForCacheUp(second);
  });

  afterAll(async () => {
    const leftovers = await admin.keys(`${prefix}*`);
    if (leftovers.length > 0) await admin.unlink(...leftovers);
    await Promise.all([first.close(), second.close()]);
    await admin.quit();
  });

  it('should report the redis driver as up', async () => {
    const res = await first.inject({
      method: 'GET',
      url: '/api/benchmarks/health',
    });
    expect(res.json()).toMatchObject({
      status: 'healthy',
      cache: { driver: 'redis', status: 'up' },
    });
  });

  it('should let one instance read what the other wrote, and a clear on either reach both', async () => {
    const fresh = (await first.inject(DATA)).json<Series[]>();
    const fingerprint = new SyntheticDataSource(20240101).fingerprint;
    const key = `${prefix}v3:${fingerprint}:restaurant:medium:national:profit_margin:2024`;
    const stored = JSON.parse((await admin.get(key))!) as StoredBlock;
    expect(stored.points.map((p) => p.period)).toContain('2024-01-01');
    const ttl = await admin.ttl(key);
    expect(ttl).toBeGreaterThan(250);
    expect(ttl).toBeLessThanOrEqual(300);

    // Mark the shared entry, so a read of it can be told from a recomputation.
    stored.points[0].value = 0.4242;
    stored.points[0].percentiles.p50 = 0.4242;
    await admin.set(key, JSON.stringify(stored), 'EX', 300);
    const seenBySecond = (await second.inject(DATA)).json<Series[]>();
    const marked = seenBySecond
      .find((s) => s.metric_name === 'profit_margin')!
      .data_points.find((p) => p.period === '2024-01-01')!;
    expect(marked.value).toBe(0.4242);

    const foreign = `${uniquePrefix('foreign')}keep`;
    await admin.set(foreign, 'other data', 'EX', 60);
    const cleared = await clearCache(second, `Bearer ${ADMIN_API_KEY}`);
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json<{ deleted: number }>().deleted).toBeGreaterThanOrEqual(
      12,
    );
    expect(await admin.get(foreign)).toBe('other data');
    await admin.del(foreign);

    // Neither instance serves the entry from before the clear.
    expect((await first.inject(DATA)).json()).toEqual(fresh);
    expect((await second.inject(DATA)).json()).toEqual(fresh);
  });
});

describe('Redis unreachable at start (e2e)', () => {
  it('should start and serve from the data source, reporting the cache down', async () => {
    const app = await createTestApp({
      env: {
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        CACHE_PREFIX: uniquePrefix('nobody'),
      },
    });
    try {
      const res = await app.inject(DATA);
      expect(res.statusCode).toBe(200);
      const health = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/health',
      });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({
        cache: { driver: 'redis', status: 'down' },
      });
    } finally {
      await app.close();
    }
  });
});

describeWithRedisServer(
  'Redis dying and returning under requests (e2e)',
  () => {
    let redis: PrivateRedis;
    let app: NestFastifyApplication;
    let admin: Redis | undefined;

    beforeAll(async () => {
      redis = await PrivateRedis.start();
      app = await createTestApp({
        env: {
          REDIS_URL: redis.url,
          ADMIN_API_KEY,
          CACHE_PREFIX: uniquePrefix('outage'),
        },
      });
    });

    afterAll(async () => {
      admin?.disconnect();
      await app.close();
      await redis.stop();
    });

    const health = async () =>
      (
        await app.inject({ method: 'GET', url: '/api/benchmarks/health' })
      ).json<{
        status: string;
        cache: { status: string };
      }>();

    it('should keep answering 2xx, quickly, while Redis is down, and use it again once it is back', async () => {
      for (let i = 0; i < 100 && (await health()).cache.status !== 'up'; i++)
        await new Promise((r) => setTimeout(r, 25));
      const expected = (await app.inject(DATA)).json<Series[]>();

      await redis.stop();
      const slowest = { ms: 0 };
      for (let i = 0; i < 30; i++) {
        const started = Date.now();
        const res = await app.inject(
          i % 2
            ? DATA
            : {
                ...DATA,
                url: '/api/benchmarks/compare',
                payload: JSON.stringify({
                  industry: 'retail',
                  user_values: { profit_margin: 0.05 },
                }),
              },
        );
        slowest.ms = Math.max(slowest.ms, Date.now() - started);
        expect(res.statusCode).toBe(200);
        if (i % 2) expect(res.json()).toEqual(expected);
      }
      // Not a speed target: a guard against hanging on a dead Redis (the failure of cache-manager/keyv here), with
      // room for a busy machine.
      expect(slowest.ms).toBeLessThan(2000);
      expect(await health()).toMatchObject({
        status: 'healthy',
        cache: { status: 'down' },
      });
      const refused = await clearCache(app, `Bearer ${ADMIN_API_KEY}`);
      expect(refused.statusCode).toBe(503);
      expect(refused.json<{ message: string }>().message).toContain(
        'not cleared',
      );

      await redis.restart();
      const started = Date.now();
      while ((await health()).cache.status !== 'up') {
        expect(Date.now() - started).toBeLessThan(10_000);
        await new Promise((r) => setTimeout(r, 50));
      }
      // The restarted Redis is empty; the next request fills it again.
      expect((await app.inject(DATA)).json()).toEqual(expected);
      admin = new Redis(redis.url);
      expect(await admin.dbsize()).toBeGreaterThanOrEqual(12);
    });

    it('should answer quickly while Redis hangs, and report the cache down until it answers again', async () => {
      await redis.restart();
      for (let i = 0; i < 200 && (await health()).cache.status !== 'up'; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      const pauser = new Redis(redis.url);
      try {
        await pauser.call('CLIENT', 'PAUSE', '3000', 'ALL');
        let slowest = 0;
        for (let i = 0; i < 10; i++) {
          const started = Date.now();
          const res = await app.inject(DATA);
          slowest = Math.max(slowest, Date.now() - started);
          expect(res.statusCode).toBe(200);
        }
        // Not waiting for the 3 s pause (one 100 ms command timeout per request at most): a guard with room for a busy
        // machine, not a speed target.
        expect(slowest).toBeLessThan(2000);
        expect((await health()).cache.status).toBe('down');
        const started = Date.now();
        while ((await health()).cache.status !== 'up') {
          expect(Date.now() - started).toBeLessThan(10_000);
          await app.inject(DATA); // reads are the probe that sees Redis answer again
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        pauser.disconnect();
      }
    });
  },
);
