import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';
import Redis from 'ioredis';
import { startBlsStub, type BlsStub } from '../tools/bls-stub/bls-stub-server';
import {
  startCensusStub,
  type CensusStub,
} from '../tools/census-stub/census-stub-server';
import {
  DATA_SOURCE,
  type DataSource,
} from '../src/data-sources/data-source.interface';
import { createTestApp, ERROR_KEYS } from './utils/create-test-app';
import { postJson } from './utils/http';
import { PrivateRedis, redisServerAvailable } from './utils/redis-server';

/**
 * Security of the running app: secrets (admin key, BLS and Census keys, Redis password) never leave it in an answer, /metrics or
 * readiness included; every answer carries the security headers; an unexpected failure says nothing about itself;
 * the cache is cleared only with the admin key. (Logs: test/process.e2e-spec.ts. The timing-safe comparison:
 * src/cache/admin-key.guard.spec.ts. Hostile input: test/fuzz.e2e-spec.ts.)
 */

const ADMIN_API_KEY = 'security-admin-key-7f3a9c0e5b1d';
const BLS_API_KEY = 'blsSecretKey0123456789abcdef';
const CENSUS_API_KEY = 'censusSecretKey0123456789abcdef012345678';
const REDIS_PASSWORD = 'redisPassw0rd-9b8c7d6e5f';
const PREFIX = 'security-test:';
const SECRETS = [ADMIN_API_KEY, BLS_API_KEY, CENSUS_API_KEY, REDIS_PASSWORD];

const get = (app: NestFastifyApplication, url: string) =>
  app.inject({ method: 'GET', url });
const clear = (app: NestFastifyApplication, authorization?: string) =>
  app.inject({
    method: 'DELETE',
    url: '/api/benchmarks/cache',
    headers: authorization ? { authorization } : {},
  });

/** Requests covering every endpoint, valid and not, BLS metrics included (so the BLS client and its key are used). */
async function everyEndpoint(
  app: NestFastifyApplication,
): Promise<LightMyRequestResponse[]> {
  return [
    await get(app, '/api/benchmarks/health'),
    await get(app, '/api/benchmarks/health/ready'),
    await get(app, '/api/benchmarks/industries'),
    await get(app, '/api/benchmarks/industries/retail'),
    await get(app, '/api/benchmarks/industries/nope'),
    await get(app, '/api/benchmarks/metrics/retail'),
    await postJson(app, '/api/benchmarks/data', {
      industry: 'retail',
      metrics: [
        'annual_wage_per_employee',
        'average_weekly_wage',
        'receipts_per_employee',
      ],
      start_date: '2023-01-01',
      end_date: '2024-12-31',
    }),
    await postJson(app, '/api/benchmarks/compare', {
      industry: 'retail',
      period: '2024-12-01',
      user_values: {
        annual_wage_per_employee: 40000,
        profit_margin: 0.05,
        payroll_per_employee: 40000,
      },
    }),
    await postJson(app, '/api/benchmarks/data', { industry: 7 }),
    await postJson(app, '/api/benchmarks/compare', '{"industry":'),
    await clear(app),
    await clear(app, 'Bearer wrong-key-wrong-key-wrong'),
    await clear(app, `Bearer ${ADMIN_API_KEY}`),
    await get(app, '/metrics'),
    await get(app, '/docs-json'),
    await get(app, '/docs'),
  ];
}

function leaks(res: LightMyRequestResponse): string[] {
  const text = `${JSON.stringify(res.headers)}\n${res.body}`;
  return SECRETS.filter((s) => text.includes(s)).map(
    (s) => `${res.statusCode} leaks ${s.slice(0, 6)}...`,
  );
}

describe('Security (e2e)', () => {
  let app: NestFastifyApplication;
  let stub: BlsStub;
  let census: CensusStub;
  let redis: PrivateRedis | undefined;

  beforeAll(async () => {
    stub = await startBlsStub({ keys: [BLS_API_KEY] });
    census = await startCensusStub({ keys: [CENSUS_API_KEY] });
    redis = redisServerAvailable()
      ? await PrivateRedis.start(undefined, ['--requirepass', REDIS_PASSWORD])
      : undefined;
    app = await createTestApp({
      env: {
        ADMIN_API_KEY,
        BLS_API_KEY,
        DATA_SOURCE: 'blended',
        BLS_API_URL: stub.url,
        CENSUS_API_KEY,
        CENSUS_API_URL: census.url,
        CENSUS_COOLDOWN_MS: '0',
        ...(redis
          ? {
              REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}`,
              CACHE_PREFIX: PREFIX,
            }
          : {}),
      },
    });
    // The store connects in the background; the answers below should go through Redis.
    for (let i = 0; redis && i < 100; i++) {
      const health = await get(app, '/api/benchmarks/health');
      if (health.json<{ cache: { status: string } }>().cache.status === 'up')
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await app.close();
    await stub.close();
    await census.close();
    await redis?.stop();
  });

  it('should keep the admin key, the BLS and Census keys and the Redis password out of every answer, /metrics and readiness included, through BLS and Census failures', async () => {
    const answers = await everyEndpoint(app);
    // The BLS stub did get the key (so it was in use), and the app got through to Redis with the password.
    expect(JSON.stringify(stub.requests.map((r) => r.body))).toContain(
      BLS_API_KEY,
    );
    expect(census.requests.some((r) => r.path.includes(CENSUS_API_KEY))).toBe(
      true,
    );
    if (redis) {
      const health = answers[0].json<{ cache: { status: string } }>();
      expect(health.cache.status).toBe('up');
    }
    expect(answers.flatMap(leaks)).toEqual([]);
    // Also while BLS fails (answers then carry warnings about it).
    stub.setFault('500');
    await clear(app, `Bearer ${ADMIN_API_KEY}`);
    const degraded = await postJson(app, '/api/benchmarks/data', {
      industry: 'construction',
      metrics: ['annual_wage_per_employee'],
    });
    stub.setFault('none');
    expect(degraded.statusCode).toBe(200);
    expect(leaks(degraded)).toEqual([]);
    // And while Census fails or refuses the key (warnings, readiness and /metrics say so).
    for (const fault of ['500', 'key'] as const) {
      census.setFault(fault);
      await clear(app, `Bearer ${ADMIN_API_KEY}`);
      const failing = [
        await postJson(app, '/api/benchmarks/data', {
          industry: 'construction',
          metrics: ['receipts_per_employee'],
        }),
        await get(app, '/api/benchmarks/health/ready'),
        await get(app, '/metrics'),
      ];
      expect(
        failing[0].json<Array<{ warnings: string[] }>>()[0].warnings,
      ).toHaveLength(1);
      expect(failing.flatMap(leaks)).toEqual([]);
    }
    census.setFault('none');
  });

  it('should send the security headers on every answer, errors included', async () => {
    const missing = (await everyEndpoint(app))
      .filter(
        (res) =>
          res.headers['x-content-type-options'] !== 'nosniff' ||
          res.headers['x-frame-options'] !== 'SAMEORIGIN' ||
          !res.headers['content-security-policy'],
      )
      .map((res) => `${res.statusCode} ${res.body.slice(0, 60)}`);
    expect(missing).toEqual([]);
  });

  it('should answer an unexpected failure with a bare 500: no stack, no error message, no secret', async () => {
    const source = app.get<DataSource>(DATA_SOURCE);
    const failure = new Error(
      `database password ${REDIS_PASSWORD} rejected at /work/src/secret.ts:12:3`,
    );
    const spy = jest.spyOn(source, 'getSeries').mockRejectedValue(failure);
    try {
      await clear(app, `Bearer ${ADMIN_API_KEY}`);
      const res = await postJson(app, '/api/benchmarks/data', {
        industry: 'education',
        metrics: ['profit_margin'],
      });
      expect(spy).toHaveBeenCalled();
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Internal server error',
      });
      expect(res.body).not.toMatch(/ at |secret|\.ts:/);
    } finally {
      spy.mockRestore();
    }
  });

  const withRedis = redisServerAvailable() ? it : it.skip;

  withRedis(
    'should leave every cache entry in place when the clear is refused, and clear them with the key',
    async () => {
      const client = new Redis(redis!.port, '127.0.0.1', {
        password: REDIS_PASSWORD,
      });
      try {
        await postJson(app, '/api/benchmarks/data', { industry: 'retail' });
        const keys = async () => (await client.keys(`${PREFIX}*`)).length;
        const before = await keys();
        expect(before).toBeGreaterThan(0);
        for (const authorization of [
          undefined,
          'Bearer wrong-key-wrong-key-wrong',
          `Bearer ${ADMIN_API_KEY.slice(0, -1)}`,
          ADMIN_API_KEY,
        ]) {
          const res = await clear(app, authorization);
          expect(res.statusCode).toBe(401);
          expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
        }
        expect(await keys()).toBe(before);
        expect((await clear(app, `Bearer ${ADMIN_API_KEY}`)).statusCode).toBe(
          200,
        );
        expect(await keys()).toBe(0);
      } finally {
        client.disconnect();
      }
    },
  );
});
