import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, ERROR_KEYS } from './utils/create-test-app';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

describe('Health, industries and metrics (e2e)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('GET /api/benchmarks/health', () => {
    it('should say healthy with the package.json version', async () => {
      const pkg = JSON.parse(
        readFileSync(join(__dirname, '..', 'package.json'), 'utf8'),
      ) as { version: string };
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/health',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'healthy',
        service: 'benchmark-api',
        version: pkg.version,
        cache: { driver: 'memory', status: 'up' },
        database: { kind: 'embedded', status: 'unused' },
      });
    });
  });

  describe('GET /api/benchmarks/industries', () => {
    it('should list the ten industries with their count', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        industries: [
          'retail',
          'restaurant',
          'professional_services',
          'manufacturing',
          'healthcare',
          'technology',
          'hospitality',
          'construction',
          'education',
          'real_estate',
        ],
        count: 10,
      });
    });
  });

  describe('GET /api/benchmarks/industries/:industry', () => {
    it('should describe the industry with metric definitions, sizes and regions', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries/hospitality',
      });
      expect(res.statusCode).toBe(200);
      const body = res.json<{
        key: string;
        name: string;
        naics_code: string;
        metrics: Array<{ name: string; direction: string; unit: string }>;
        company_sizes: string[];
        company_size_ranges: unknown[];
        regions: string[];
      }>();
      expect(body).toMatchObject({
        key: 'hospitality',
        name: 'Accommodation',
        naics_code: '721',
      });
      expect(body.metrics.map((m) => m.name)).toContain('occupancy_rate');
      expect(
        body.metrics.find((m) => m.name === 'customer_acquisition_cost'),
      ).toMatchObject({
        unit: 'usd',
        direction: 'lower_is_better',
      });
      expect(body.company_sizes).toEqual(['small', 'medium', 'large']);
      expect(body.company_size_ranges).toEqual([
        { company_size: 'small', min_employees: 1, max_employees: 19 },
        { company_size: 'medium', min_employees: 20, max_employees: 99 },
        { company_size: 'large', min_employees: 100, max_employees: 499 },
      ]);
      expect(
        body.metrics.find((m) => m.name === 'occupancy_rate'),
      ).toMatchObject({
        source: 'synthetic',
        program: null,
        illustrative: false,
      });
      // Customer acquisition cost has no primary source: its benchmarks are said to be illustrative.
      expect(
        body.metrics.find((m) => m.name === 'customer_acquisition_cost'),
      ).toMatchObject({ illustrative: true });
      expect(body.regions).toEqual([
        'national',
        'northeast',
        'southeast',
        'midwest',
        'west',
        'southwest',
      ]);
    });

    it('should answer 404 naming an unknown industry and listing the known ones', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries/mining',
      });
      expect(res.statusCode).toBe(404);
      const body = res.json<ErrorBody>();
      expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
      expect(body.error).toBe('Not Found');
      expect(body.message).toContain('"mining"');
      expect(body.message).toContain('retail, restaurant');
    });

    it('should answer 414 in the error shape for a key longer than 100 characters, without echoing it', async () => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/benchmarks/industries/${'x'.repeat(101)}`,
      });
      expect(res.statusCode).toBe(414);
      expect(res.json()).toEqual({
        statusCode: 414,
        error: 'URI Too Long',
        message: 'A path segment is longer than 100 characters',
      });
    });

    it('should answer 400 in the error shape for a malformed percent-encoding', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries/%E0%A4%A',
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
    });

    it('should treat traversal and markup in the path as an unknown industry, echoed inertly', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries/%2e%2e%2f%3Cscript%3E',
      });
      expect(res.statusCode).toBe(404);
      expect(res.json<ErrorBody>().message).toContain('"../<script>"');
    });
  });

  describe('GET /api/benchmarks/metrics/:industry', () => {
    it('should list metric names, count and full definitions', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/metrics/retail',
      });
      expect(res.statusCode).toBe(200);
      const body = res.json<{
        industry: string;
        metrics: string[];
        count: number;
        definitions: object[];
      }>();
      expect(body.industry).toBe('retail');
      expect(body.count).toBe(body.metrics.length);
      expect(body.count).toBe(6);
      expect(body.definitions).toHaveLength(body.count);
      for (const d of body.definitions) {
        expect(Object.keys(d).sort()).toEqual(
          [
            'description',
            'direction',
            'formula',
            'label',
            'frequency',
            'illustrative',
            'name',
            'program',
            'source',
            'statistic',
            'unit',
            'valid_range',
          ].sort(),
        );
      }
      expect(body.definitions[1]).toMatchObject({
        name: 'profit_margin',
        unit: 'fraction',
        direction: 'higher_is_better',
        formula: 'pre-tax net income / revenue',
        valid_range: { min: -10, max: 1 },
        source: 'synthetic',
        frequency: 'monthly',
        statistic: 'percentiles',
      });
    });

    it('should answer 404 for an unknown industry', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/metrics/constructor',
      });
      expect(res.statusCode).toBe(404);
      expect(res.json<ErrorBody>().message).toContain(
        'Unknown industry "constructor"',
      );
    });
  });

  describe('trailing slashes', () => {
    it('should serve a path with a trailing slash like the path without', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/industries/retail/',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ key: string }>().key).toBe('retail');
    });
  });

  describe('unknown routes', () => {
    it("should answer 404 in Nest's error shape", async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/benchmarks/nope',
      });
      expect(res.statusCode).toBe(404);
      expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
    });
  });
});
