import { benchmarksConfig, benchmarksConfigFrom } from './benchmarks.config';
import { cacheConfig, cacheConfigFrom } from './cache.config';
import {
  contributionsConfig,
  contributionsConfigFrom,
} from './contributions.config';
import { dataSourceConfig, dataSourceConfigFrom } from './data-source.config';
import { databaseConfig, databaseConfigFrom } from './database.config';
import type { EnvironmentVariables } from './env.validation';
import { httpConfig, httpConfigFrom } from './http.config';

/**
 * Every feature's config: what ConfigModule loads (each injected with `@Inject(<feature>Config.KEY)`), and how to
 * build it from a validated environment (the e2e tests' apps, which never read the process's).
 */
export const FEATURE_CONFIGS = [
  { config: httpConfig, from: httpConfigFrom },
  { config: cacheConfig, from: cacheConfigFrom },
  { config: dataSourceConfig, from: dataSourceConfigFrom },
  { config: benchmarksConfig, from: benchmarksConfigFrom },
  { config: databaseConfig, from: databaseConfigFrom },
  { config: contributionsConfig, from: contributionsConfigFrom },
] as const satisfies ReadonlyArray<{
  config: { KEY: string | symbol };
  from: (env: EnvironmentVariables) => unknown;
}>;
