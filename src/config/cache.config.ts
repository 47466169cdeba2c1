import { registerAs } from '@nestjs/config';
import { environment, type EnvironmentVariables } from './env.validation';

/** The shared cache: Redis when configured, else in-process; and the key that may clear it. */
export interface CacheConfig {
  readonly ttlSeconds: number;
  /** Bound of the in-process store. */
  readonly maxEntries: number;
  /** In front of every key, ending with `:`. */
  readonly prefix: string;
  /** Undefined: the in-process store. The URL may hold a password: never logged. */
  readonly redis?: {
    readonly url: string;
    readonly commandTimeoutMs: number;
    readonly connectTimeoutMs: number;
  };
  /** Bearer key of DELETE /cache; undefined disables the endpoint. A secret. */
  readonly adminKey?: string;
}

export function cacheConfigFrom(env: EnvironmentVariables): CacheConfig {
  return {
    ttlSeconds: env.CACHE_TTL_SECONDS,
    maxEntries: env.CACHE_MAX_ENTRIES,
    prefix: env.CACHE_PREFIX,
    ...(env.REDIS_URL
      ? {
          redis: {
            url: env.REDIS_URL,
            commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
            connectTimeoutMs: env.REDIS_CONNECT_TIMEOUT_MS,
          },
        }
      : {}),
    ...(env.ADMIN_API_KEY ? { adminKey: env.ADMIN_API_KEY } : {}),
  };
}

export const cacheConfig = registerAs('cache', () =>
  cacheConfigFrom(environment()),
);
