import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { join } from 'node:path';
import {
  captureErrorExamples,
  captureExamples,
  EXAMPLE_ADMIN_KEY,
} from '../tools/openapi/capture-examples';
import { createTestApp } from './utils/create-test-app';

const ROOT = join(__dirname, '..');

interface Content {
  readonly content?: Record<string, { readonly example?: unknown }>;
}
interface Operation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly requestBody?: Content;
  readonly responses: Record<string, Content>;
}
const readJson = (path: string): unknown =>
  JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

describe('The OpenAPI contract (openapi.json)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ env: { ADMIN_API_KEY: EXAMPLE_ADMIN_KEY } });
  });
  afterAll(() => app.close());

  it('should be the document the service serves at /docs-json (no drift: run `npm run openapi`)', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(readJson('openapi.json'));
  });

  it("should show examples that are the service's real answers to the example requests", async () => {
    const recorded = readJson('src/openapi/recorded-examples.json');
    expect({
      ...(await captureExamples(app)),
      ...(await captureErrorExamples(app)),
    }).toEqual(recorded);
  }, 60_000); // the contribution examples open an embedded database

  it('should give every operation an operationId, a summary, examples, and error examples of their own status', () => {
    const document = readJson('openapi.json') as {
      paths: Record<string, Record<string, Operation>>;
    };
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!operation.operationId) missing.push(`${where}: operationId`);
        if (!operation.summary) missing.push(`${where}: summary`);
        const body = operation.requestBody?.content?.['application/json'];
        if (body && body.example === undefined)
          missing.push(`${where}: request example`);
        for (const [status, response] of Object.entries(operation.responses)) {
          const error = response.content?.['application/json']?.example as
            { statusCode?: number; error?: string } | undefined;
          const ours = status !== '503' || !path.endsWith('/health/ready');
          if (
            ours &&
            Number(status) >= 400 &&
            error?.statusCode !== Number(status)
          )
            missing.push(
              `${where}: ${status} example (shows ${error?.statusCode})`,
            );
          if (
            ours &&
            Number(status) >= 400 &&
            error?.error !== STATUS_CODES[status]
          )
            missing.push(`${where}: ${status} example's error text`);
          const json = response.content?.['application/json'];
          if (status.startsWith('2') && json && json.example === undefined)
            missing.push(`${where}: ${status} example`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
