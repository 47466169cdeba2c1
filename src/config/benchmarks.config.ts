import { registerAs } from '@nestjs/config';
import { environment, type EnvironmentVariables } from './env.validation';

/** How benchmark series are served. */
export interface BenchmarksConfig {
  /** Cells with a known sample under this fall back to broader peer groups; 0 never falls back. */
  readonly minSampleSize: number;
  /** How long a metric-year stays in the cache. */
  readonly cacheTtlSeconds: number;
}

export function benchmarksConfigFrom(
  env: EnvironmentVariables,
): BenchmarksConfig {
  return {
    minSampleSize: env.MIN_SAMPLE_SIZE,
    cacheTtlSeconds: env.CACHE_TTL_SECONDS,
  };
}

export const benchmarksConfig = registerAs('benchmarks', () =>
  benchmarksConfigFrom(environment()),
);
