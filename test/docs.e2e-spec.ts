import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp, ERROR_KEYS } from './utils/create-test-app';
import { sendRaw } from './utils/raw-http';

interface Schema {
  type?: string;
  $ref?: string;
  description?: string;
  example?: unknown;
  enum?: unknown[];
  items?: Schema;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
}
interface OpenApi {
  paths: Record<
    string,
    Record<string, { summary?: string; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, Schema> };
}

describe('Docs (e2e)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('Swagger', () => {
    it('should serve the UI at /docs', async () => {
      const res = await app.inject({ method: 'GET', url: '/docs' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('swagger-ui');
    });

    it('should document every endpoint of the contract at /docs-json', async () => {
      const res = await app.inject({ method: 'GET', url: '/docs-json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json<OpenApi>();
      expect(Object.keys(doc.paths).sort()).toEqual([
        '/api/benchmarks/admin/publications',
        '/api/benchmarks/admin/publications/{publication_id}',
        '/api/benchmarks/admin/tenants',
        '/api/benchmarks/admin/tenants/{tenant_id}',
        '/api/benchmarks/admin/tenants/{tenant_id}/contributions',
        '/api/benchmarks/admin/tenants/{tenant_id}/contributions/{business_ref}',
        '/api/benchmarks/admin/tenants/{tenant_id}/rotate-key',
        '/api/benchmarks/cache',
        '/api/benchmarks/compare',
        '/api/benchmarks/compare/trajectory',
        '/api/benchmarks/contributions/batch',
        '/api/benchmarks/contributions/{business_ref}',
        '/api/benchmarks/contributions/{business_ref}/{period}',
        '/api/benchmarks/data',
        '/api/benchmarks/health',
        '/api/benchmarks/health/ready',
        '/api/benchmarks/industries',
        '/api/benchmarks/industries/{industry}',
        '/api/benchmarks/metrics/{industry}',
        '/api/benchmarks/scorecard',
      ]);
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(operations)) {
          expect(
            `${method} ${path}: ${op.summary ?? 'no summary'}`,
          ).not.toMatch(/no summary$/);
          expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(
            true,
          );
        }
      }
      expect(
        Object.keys(doc.paths['/api/benchmarks/data'].post.responses).sort(),
      ).toEqual(['200', '400', '404', '413', '415', '429']);
      for (const path of ['compare', 'scorecard', 'compare/trajectory']) {
        expect(
          Object.keys(
            doc.paths[`/api/benchmarks/${path}`].post.responses,
          ).sort(),
        ).toEqual(['200', '400', '404', '413', '415', '429']);
      }
    });

    it('should describe every field with an example, and list enum values', async () => {
      const doc = (
        await app.inject({ method: 'GET', url: '/docs-json' })
      ).json<OpenApi>();
      const missing: string[] = [];
      for (const [name, schema] of Object.entries(doc.components.schemas)) {
        for (const [field, prop] of Object.entries(schema.properties ?? {})) {
          if (!prop.description) missing.push(`${name}.${field} description`);
          const isRefList = prop.type === 'array' && prop.items?.$ref;
          if (
            prop.example === undefined &&
            !isRefList &&
            !prop.$ref &&
            !prop.allOf
          ) {
            missing.push(`${name}.${field} example`);
          }
        }
      }
      expect(missing).toEqual([]);
      const request = doc.components.schemas.DataRequestDto.properties!;
      expect(request.company_size.enum).toEqual(['small', 'medium', 'large']);
      expect(request.region.enum).toHaveLength(6);
      expect(request.industry.enum).toHaveLength(10);
      const result = doc.components.schemas.ComparisonResultDto.properties!;
      expect(result.interpretation.enum).toEqual([
        'significantly_above',
        'above_average',
        'average',
        'below_average',
        'significantly_below',
      ]);
    });
  });

  describe('static files of the docs (regression: the fuzz suite found 500s here)', () => {
    it('should answer 400 for a null byte in a docs path, in the error shape', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/docs/swagger-ui.css%00.json',
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json()).sort()).toEqual(ERROR_KEYS);
    });

    it('should answer 403 or 404 for paths that climb out of the docs folder, never 500 nor a file', async () => {
      // Over a real socket: app.inject would resolve the dot segments before routing.
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as { port: number };
      for (const path of [
        '/docs/../package.json',
        '/docs/..%2Fpackage.json',
        '/docs/....//....//package.json',
        '/docs/%2e%2e/%2e%2e/package.json',
      ]) {
        const res = await sendRaw(
          port,
          Buffer.from(
            `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
          ),
        );
        expect(res).toMatchObject({ kind: 'answer' });
        if (res.kind !== 'answer') continue;
        expect([403, 404]).toContain(res.status);
        expect(Object.keys(JSON.parse(res.body) as object).sort()).toEqual(
          ERROR_KEYS,
        );
        expect(res.body).not.toContain('benchmark-api');
      }
    });
  });
});
