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
  /** How long an answer is served before BLS is asked again. */
  readonly cacheTtlSeconds: number;
}

/** The Census Data API client's settings. */
export interface CensusConfig {
  /** e.g. https://api.census.gov/data: requests go to `<url>/<year>/<dataset>`. */
  readonly url: string;
  /** The API key; undefined: no Census metrics (DATA_SOURCE=census refuses to start). A secret: never logged or echoed. */
  readonly apiKey?: string;
  /** Requests a day for all instances together. */
  readonly dailyLimit: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly coolDownMs: number;
  /** How long an answer is served before Census is asked again. */
  readonly cacheTtlSeconds: number;
}

/** Where benchmarks come from, and each source's own settings. */
export interface DataSourceConfig {
  readonly name: DataSourceName;
  readonly synthetic: { readonly seed: number };
  readonly bls: BlsConfig;
  readonly census: CensusConfig;
  /** How long the last good real answer is kept beyond its TTL, served with a warning when its source fails. */
  readonly staleIfErrorSeconds: number;
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
      cacheTtlSeconds: env.BLS_CACHE_TTL_SECONDS,
    },
    census: {
      url: env.CENSUS_API_URL,
      ...(env.CENSUS_API_KEY ? { apiKey: env.CENSUS_API_KEY } : {}),
      dailyLimit: env.CENSUS_DAILY_LIMIT,
      timeoutMs: env.CENSUS_TIMEOUT_MS,
      maxRetries: env.CENSUS_MAX_RETRIES,
      coolDownMs: env.CENSUS_COOLDOWN_MS,
      cacheTtlSeconds: env.CENSUS_CACHE_TTL_SECONDS,
    },
    staleIfErrorSeconds: env.STALE_IF_ERROR_SECONDS,
  };
}

export const dataSourceConfig = registerAs('dataSource', () =>
  dataSourceConfigFrom(environment()),
);
