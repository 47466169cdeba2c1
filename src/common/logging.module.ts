import { RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { EnvironmentVariables } from '../config/env.validation';

/** Paths pino replaces with "[redacted]" wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'registrationkey',
  '*.registrationkey',
  'apiKey',
  '*.apiKey',
  'ADMIN_API_KEY',
  'BLS_API_KEY',
  'REDIS_URL',
];

/**
 * Logs through pino: JSON lines (LOG_FORMAT=json, the default) or human-readable ones (pretty), at LOG_LEVEL.
 * pino-http's own per-request logging is off: the request log line is written by registerRequestLog, which knows
 * the route pattern.
 */
export const AppLoggerModule = LoggerModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
    // Nest 11's route syntax for "every route" (the default '*' logs a deprecation warning at each start).
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.get('LOG_LEVEL', { infer: true }),
      autoLogging: false,
      quietReqLogger: true,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'benchmark-api' },
      ...(config.get('LOG_FORMAT', { infer: true }) === 'pretty'
        ? {
            transport: {
              target: 'pino-pretty',
              options: { singleLine: true, translateTime: 'SYS:standard' },
            },
          }
        : {}),
    },
  }),
});
