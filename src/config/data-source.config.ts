import { registerAs } from '@nestjs/config';
import type { DataSourceName } from '../domain/enums';
import {
  blsDailyLimit,
  environment,
  type EnvironmentVariables,
} from './env.validation';

/** The BLS Public Data API client's settings. */
export interface BlsConfig {
  readonly url: string;
  /** The registration key; undefined runs unregistered. A secret: never logged or echoed. */
  readonly apiKey?: string;
  /** Requests a day for all instances together. */
  readonly dailyLimit: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly coolDownMs: number;
}

/** Where benchmarks come from, and each source's own settings. */
export interface DataSourceConfig {
  readonly name: DataSourceName;
  readonly synthetic: { readonly seed: number };
  readonly bls: BlsConfig;
}

export function dataSourceConfigFrom(
  env: EnvironmentVariables,
): DataSourceConfig {
  return {
    name: env.DATA_SOURCE,
    synthetic: { seed: env.SYNTHETIC_SEED },
    bls: {
      url: env.BLS_API_URL,
      ...(env.BLS_API_KEY ? { apiKey: env.BLS_API_KEY } : {}),
      dailyLimit: blsDailyLimit(env),
      timeoutMs: env.BLS_TIMEOUT_MS,
      maxRetries: env.BLS_MAX_RETRIES,
      coolDownMs: env.BLS_COOLDOWN_MS,
    },
  };
}

export const dataSourceConfig = registerAs('dataSource', () =>
  dataSourceConfigFrom(environment()),
);
