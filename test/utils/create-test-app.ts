import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, configureApp, createAdapter } from '../../src/app.setup';
import { Clock } from '../../src/common/clock';
import { FEATURE_CONFIGS } from '../../src/config/configuration';
import { validateEnvironment } from '../../src/config/env.validation';
import { httpConfigFrom } from '../../src/config/http.config';

/** "Now" in e2e tests: the last complete month is then 2025-02, whatever the real date. */
export const TEST_NOW = new Date('2025-03-15T12:00:00Z');

export interface TestAppOptions {
  /** Environment variables for this app alone, validated as at start; the process environment is not read. */
  readonly env?: Record<string, string>;
  readonly now?: Date;
  /** Providers replaced for this app (seams such as PUBLICATION_CHECKPOINT). */
  readonly overrides?: ReadonlyArray<{
    readonly provide: unknown;
    readonly useValue: unknown;
  }>;
}

/**
 * The production app (same module, adapter, options and configureApp), in-process, with the clock pinned to
 * {@link TEST_NOW} and its configuration from `options.env` only. Requests go through `app.inject`.
 */
export async function createTestApp(
  options: TestAppOptions = {},
): Promise<NestFastifyApplication> {
  // Quiet unless a test asks for logs (LOG_LEVEL in its env).
  // An embedded database of its own (created only if the app uses it, removed on close): never ./data.
  const dataDir = join(
    tmpdir(),
    `benchmark-api-test-${randomBytes(6).toString('hex')}`,
  );
  const env = validateEnvironment({
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ...options.env,
  });
  const now = options.now ?? TEST_NOW;
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Clock)
    .useValue({ now: () => now });
  for (const { config, from } of FEATURE_CONFIGS)
    builder = builder.overrideProvider(config.KEY).useValue(from(env));
  for (const { provide, useValue } of options.overrides ?? [])
    builder = builder.overrideProvider(provide).useValue(useValue);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createAdapter(httpConfigFrom(env)),
    {
      ...APP_OPTIONS,
      logger: false,
    },
  );
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  if (env.DATA_DIR === dataDir) {
    const close = app.close.bind(app);
    app.close = async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  return app;
}

/** Keys an error body may have: Nest's shape and nothing else (no stack, no internals). */
export const ERROR_KEYS = ['error', 'message', 'statusCode'];
