import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from './utils/create-test-app';
import { postJson } from './utils/http';
import {
  describeWithRedis,
  TEST_REDIS_URL,
  uniquePrefix,
} from './utils/redis-test-env';

describe('Operational surface (e2e)', () => {
  describe('request ids and security headers', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp();
    });

    afterAll(async () => {
      await app.close();
    });

    it('should echo a usable x-request-id and generate one otherwise', async () => {
      const given = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries',
        headers: { 'x-request-id': 'abc-123' },
      });
      expect(given.headers['x-request-id']).toBe('abc-123');
      const generated = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries',
      });
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const hostile = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries',
        headers: { 'x-request-id': 'x\u0000<script>' },
      });
      expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('should send security headers on API answers and on the docs', async () => {
      for (const url of ['/api/benchmarks/health', '/docs']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['content-security-policy']).toContain(
          "default-src 'self'",
        );
      }
    });

    it('should send no CORS headers when CORS_ORIGINS is unset', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries',
        headers: { origin: 'https://elsewhere.example' },
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('configured limits', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp({
        env: {
          BODY_LIMIT_BYTES: '2048',
          RATE_LIMIT_PER_MINUTE: '5',
          CORS_ORIGINS: 'https://app.example.com',
        },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('should answer 413 above BODY_LIMIT_BYTES', async () => {
      const res = await postJson(app, '/api/benchmarks/data', {
        industry: 'x'.repeat(3000),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({
        statusCode: 413,
        error: 'Payload Too Large',
      });
    });

    it('should allow a configured origin and no other', async () => {
      const allowed = await app.inject({
        method: 'OPTIONS',
        url: '/api/benchmarks/compare',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
        },
      });
      expect(allowed.headers['access-control-allow-origin']).toBe(
        'https://app.example.com',
      );
      const other = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries',
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('should answer 429 with Retry-After past the per-client limit, but never throttle health', async () => {
      const responses = [];
      for (let i = 0; i < 7; i++) {
        responses.push(
          await app.inject({
            method: 'GET',
            url: '/api/benchmarks/industries',
            remoteAddress: '10.9.9.9',
          }),
        );
      }
      expect(responses.map((r) => r.statusCode)).toEqual([
        200, 200, 200, 200, 200, 429, 429,
      ]);
      const last = responses[6];
      expect(last.statusCode).toBe(429);
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      expect(last.json()).toMatchObject({
        statusCode: 429,
        error: 'Too Many Requests',
      });
      expect(last.json<{ message: string }>().message).toContain(
        'at most 5 a minute',
      );
      const otherClient = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries',
        remoteAddress: '10.9.9.10',
      });
      expect(otherClient.statusCode).toBe(200);
      for (let i = 0; i < 10; i++) {
        const health = await app.inject({
          method: 'GET',
          url: '/api/benchmarks/health',
          remoteAddress: '10.9.9.9',
        });
        expect(health.statusCode).toBe(200);
      }
    });
  });
});

describeWithRedis('Rate limit shared through Redis (e2e)', () => {
  it('should count one client across instances', async () => {
    const env = {
      REDIS_URL: TEST_REDIS_URL!,
      CACHE_PREFIX: uniquePrefix('throttle'),
      RATE_LIMIT_PER_MINUTE: '4',
    };
    const first = await createTestApp({ env });
    const second = await createTestApp({ env });
    try {
      await new Promise((r) => setTimeout(r, 300)); // both instances connect to Redis
      const get = (app: NestFastifyApplication) =>
        app.inject({
          method: 'GET',
          url: '/api/benchmarks/industries',
          remoteAddress: '10.7.7.7',
        });
      const statuses = [
        await get(first),
        await get(second),
        await get(first),
        await get(second),
        await get(first),
      ].map((r) => r.statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
