import { LoggerModule } from 'nestjs-pino';
import { httpConfig, type HttpConfig } from '../config/http.config';

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
 * pino-http's per-request middleware is not mounted: the request log line is written by registerRequestLog, which
 * knows the route pattern.
 */
export const AppLoggerModule = LoggerModule.forRootAsync({
  inject: [httpConfig.KEY],
  useFactory: (config: HttpConfig) => ({
    // No pino-http middleware on requests: the request log line is a Fastify hook (registerRequestLog), and the
    // middleware (through @fastify/middie) cost CPU while logging nothing (BENCHMARKS.md, change 1).
    forRoutes: [],
    pinoHttp: {
      level: config.logLevel,
      autoLogging: false,
      quietReqLogger: true,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'benchmark-api' },
      ...(config.logFormat === 'pretty'
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
