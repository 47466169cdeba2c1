import { registerAs } from '@nestjs/config';
import { environment, type EnvironmentVariables } from './env.validation';

/** The HTTP edge: listening, body limit, CORS, rate limit, logging and shutdown. */
export interface HttpConfig {
  readonly port: number;
  readonly host: string;
  readonly bodyLimitBytes: number;
  /** Origins allowed from a browser (`*` for any); undefined: no CORS headers. */
  readonly corsOrigins?: readonly string[];
  /** Requests a minute per client; 0 disables the limit. */
  readonly rateLimitPerMinute: number;
  readonly shutdownTimeoutMs: number;
  readonly logLevel: EnvironmentVariables['LOG_LEVEL'];
  readonly logFormat: EnvironmentVariables['LOG_FORMAT'];
}

export function httpConfigFrom(env: EnvironmentVariables): HttpConfig {
  return {
    port: env.PORT,
    host: env.HOST,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    ...(env.CORS_ORIGINS
      ? { corsOrigins: env.CORS_ORIGINS.split(',').map((o) => o.trim()) }
      : {}),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
  };
}

export const httpConfig = registerAs('http', () =>
  httpConfigFrom(environment()),
);
