import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DEFAULT_STUB_KEY,
  startBlsStub,
} from '../tools/bls-stub/bls-stub-server';
import { OEWS_PROBE_SERIES } from '../src/data-sources/bls/bls-series-ids';
import { createTestApp, ERROR_KEYS, TEST_NOW } from './utils/create-test-app';
import { sendRaw } from './utils/raw-http';
import { freePort } from './utils/redis-server';
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
        expect(res.headers['content-security-policy']).not.toContain(
          'upgrade-insecure-requests',
        );
      }
    });

    it("should send security headers also on the router's own errors (regression: found by the fuzz suite)", async () => {
      for (const [url, status] of [
        [`/api/benchmarks/industries/${'a'.repeat(101)}`, 414],
        ['/api/benchmarks/industries/%ZZ', 400],
      ] as const) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode).toBe(status);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['content-security-policy']).toContain(
          "default-src 'none'",
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

  describe("answers to what Node's HTTP parser refuses (raw TCP)", () => {
    let app: NestFastifyApplication;
    let port: number;

    beforeAll(async () => {
      app = await createTestApp();
      await app.listen(0, '127.0.0.1');
      port = (app.getHttpServer().address() as { port: number }).port;
    });

    afterAll(async () => {
      await app.close();
    });

    const MARK = 'sent-by-the-client-7c1e';
    it.each([
      [
        'a header section over the limit',
        `GET /api/benchmarks/industries HTTP/1.1\r\nHost: localhost\r\nX-Big: ${MARK}${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'header section is larger than the server accepts',
      ],
      [
        'a malformed header line',
        `GET /api/benchmarks/industries HTTP/1.1\r\nHost: localhost\r\nBad ${MARK}: x\r\n\r\n`,
        400,
        'A header line is malformed',
      ],
      [
        'a malformed request line',
        `GET /api/benchmarks/${MARK} HTTP/9.x\r\nHost: localhost\r\n\r\n`,
        400,
        'HTTP version is malformed',
      ],
    ])(
      'should answer %s with its status, the security headers, Connection: close and an error body that does not echo it (review, issue 24)',
      async (_case, request, status, message) => {
        const outcome = await sendRaw(port, Buffer.from(request, 'latin1'));
        expect(outcome.kind).toBe('answer');
        if (outcome.kind !== 'answer') return;
        expect(outcome.status).toBe(status);
        expect(outcome.headers).toMatchObject({
          connection: 'close',
          'content-type': 'application/json; charset=utf-8',
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'cross-origin-resource-policy': 'same-origin',
        });
        expect(outcome.headers['content-security-policy']).toContain(
          "default-src 'none'",
        );
        expect(Number(outcome.headers['content-length'])).toBe(
          Buffer.byteLength(outcome.body),
        );
        const body = JSON.parse(outcome.body) as Record<string, unknown>;
        expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
        expect(body.statusCode).toBe(status);
        expect(body.message).toContain(message);
        expect(outcome.body).not.toContain(MARK);
      },
    );
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

    it('should allow in a preflight every method the API has, PUT included (review, issue 24)', async () => {
      const preflight = (url: string, method: string, address: string) =>
        app.inject({
          method: 'OPTIONS',
          url,
          remoteAddress: address,
          headers: {
            origin: 'https://app.example.com',
            'access-control-request-method': method,
          },
        });
      const put = await preflight(
        '/api/benchmarks/contributions/acct-1/2024-12-01',
        'PUT',
        '10.8.8.1',
      );
      expect(put.statusCode).toBe(204);
      expect(put.headers['access-control-allow-origin']).toBe(
        'https://app.example.com',
      );
      const allowed = (res: { headers: Record<string, unknown> }) =>
        String(res.headers['access-control-allow-methods'])
          .split(',')
          .map((m) => m.trim());
      expect(allowed(put)).toContain('PUT');
      // Every method of the OpenAPI document (every route the API has), HEAD with GET.
      const document = (
        await app.inject({
          method: 'GET',
          url: '/docs-json',
          remoteAddress: '10.8.8.2',
        })
      ).json<{ paths: Record<string, Record<string, unknown>> }>();
      const methods = new Set(
        Object.values(document.paths).flatMap((p) =>
          Object.keys(p).map((m) => m.toUpperCase()),
        ),
      );
      expect(methods).toContain('PUT');
      expect(allowed(put).sort()).toEqual([...methods, 'HEAD'].sort());
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
      // One budget per client for the whole API, not one per route.
      const otherRoute = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/metrics/retail',
        remoteAddress: '10.9.9.9',
      });
      expect(otherRoute.statusCode).toBe(429);
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

describe('Readiness and metrics (e2e)', () => {
  it('should be ready on the synthetic source, reporting cache and data source', async () => {
    const app = await createTestApp();
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/health/ready',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'ok',
        info: {
          cache: { status: 'up', driver: 'memory', connected: true },
          data_source: { status: 'up', name: 'synthetic' },
        },
      });
    } finally {
      await app.close();
    }
  });

  it('should not be ready on DATA_SOURCE=bls while BLS has never answered, but stay alive', async () => {
    const app = await createTestApp({
      env: {
        DATA_SOURCE: 'bls',
        BLS_API_URL: `http://127.0.0.1:${await freePort()}/publicAPI/v2`,
        BLS_MAX_RETRIES: '0',
      },
    });
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/health/ready',
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        status: 'error',
        // A probe that never reached BLS (connection refused) costs no quota.
        error: {
          data_source: { status: 'down', reached: false, quota_remaining: 25 },
        },
      });
      expect(
        (await app.inject({ method: 'GET', url: '/api/benchmarks/health' }))
          .statusCode,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('should be ready on DATA_SOURCE=bls once BLS answers, and on blended even when it does not', async () => {
    const stub = await startBlsStub({ now: () => TEST_NOW });
    const bls = await createTestApp({
      env: {
        DATA_SOURCE: 'bls',
        BLS_API_URL: stub.url,
        BLS_API_KEY: DEFAULT_STUB_KEY,
      },
    });
    const blended = await createTestApp({
      env: {
        DATA_SOURCE: 'blended',
        BLS_API_URL: `http://127.0.0.1:${await freePort()}/publicAPI/v2`,
        BLS_MAX_RETRIES: '0',
      },
    });
    try {
      const ready = await bls.inject({
        method: 'GET',
        url: '/api/benchmarks/health/ready',
      });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({
        info: { data_source: { name: 'bls', upstream: 'bls', reached: true } },
      });
      // The probe asks for a series whose one OEWS year BLS always holds, and counts only an answer with data.
      expect(stub.requests.at(-1)!.body).toEqual({
        seriesid: [OEWS_PROBE_SERIES],
        registrationkey: DEFAULT_STUB_KEY,
      });
      expect(stub.unknownSeries).toEqual([]);
      const probes = stub.requests.length;
      await bls.inject({ method: 'GET', url: '/api/benchmarks/health/ready' });
      expect(stub.requests.length).toBe(probes); // no new probe: BLS has answered
      const degraded = await blended.inject({
        method: 'GET',
        url: '/api/benchmarks/health/ready',
      });
      expect(degraded.statusCode).toBe(200);
      expect(degraded.json()).toMatchObject({
        info: { data_source: { name: 'blended', reached: false } },
      });
    } finally {
      await Promise.all([bls.close(), blended.close()]);
      await stub.close();
    }
  });

  it('should expose request, cache and BLS metrics in Prometheus format at /metrics', async () => {
    const stub = await startBlsStub({ now: () => TEST_NOW });
    const app = await createTestApp({
      env: {
        DATA_SOURCE: 'blended',
        BLS_API_URL: stub.url,
        BLS_API_KEY: DEFAULT_STUB_KEY,
      },
    });
    try {
      await postJson(app, '/api/benchmarks/data', {
        industry: 'retail',
        metrics: ['average_annual_pay'],
        start_date: '2023-01-01',
        end_date: '2023-12-31',
      });
      await postJson(app, '/api/benchmarks/data', {
        industry: 'retail',
        metrics: ['average_annual_pay'],
        start_date: '2023-01-01',
        end_date: '2023-12-31',
      });
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      const text = res.body;
      expect(text).toMatch(
        /http_request_duration_seconds_count\{method="POST",route="\/api\/benchmarks\/data",status="200"\} 2/,
      );
      expect(text).toMatch(
        /benchmark_cache_hits_total\{driver="memory"\} [1-9]/,
      );
      expect(text).toMatch(
        /benchmark_cache_misses_total\{driver="memory"\} [1-9]/,
      );
      expect(text).toMatch(/bls_requests_total\{outcome="ok"\} 1/);
      expect(text).toMatch(/bls_quota_remaining 499/);
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).not.toContain(DEFAULT_STUB_KEY);
    } finally {
      await app.close();
      await stub.close();
    }
  });
});
