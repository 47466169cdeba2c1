import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { describeError } from './common/describe-error';
import {
  DATABASE,
  DatabaseUnavailableError,
  type Database,
} from './database/database';
import { APP_OPTIONS, configureApp, createAdapter } from './app.setup';
import { shutdownState } from './http/shutdown-state';
import { environment } from './config/env.validation';
import { httpConfigFrom } from './config/http.config';
import {
  dataSourceConfig,
  type DataSourceConfig,
} from './config/data-source.config';

/** Longest wait, on shutdown, for keep-alive clients to take their `Connection: close` and go (see drainKeepAlive). */
const KEEP_ALIVE_DRAIN_MS = 1_000;

/**
 * Stops accepting connections but keeps the open ones for up to `graceMs`, or until every one has gone: each gets
 * its next answer with `Connection: close` (see shutdownState) and its client reconnects elsewhere. Closing an idle
 * keep-alive connection at once (what server.close() does) races with a request the client is sending on it at that
 * moment: the client sees the connection reset with its request unanswered.
 */
async function drainKeepAlive(
  app: NestFastifyApplication,
  graceMs: number,
): Promise<void> {
  const server: Server = app.getHttpServer();
  // net.Server's close, not http.Server's: the latter also ends idle keep-alive connections at once.
  NetServer.prototype.close.call(server);
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    const open = await new Promise<number>((resolve) =>
      server.getConnections((error, count) => resolve(error ? 0 : count)),
    );
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Stops on SIGTERM or SIGINT without dropping accepted requests: the server stops accepting connections, keep-alive
 * clients are told to go (see drainKeepAlive), requests in flight (also those whose body is still arriving) finish,
 * Redis is closed, and the process exits 0. If that takes longer than SHUTDOWN_TIMEOUT_MS it exits 1. (Nest's
 * enableShutdownHooks is not used: it re-raises the signal after its hooks, so the process would die by the signal
 * instead of exiting 0.)
 */
function exitOnSignals(
  app: NestFastifyApplication,
  timeoutMs: number,
  logger: Logger,
): void {
  const shutdown = (signal: NodeJS.Signals) => {
    if (shutdownState.closing) return;
    shutdownState.closing = true;
    logger.log({
      msg: 'shutting down: finishing requests in flight',
      signal,
      timeout_ms: timeoutMs,
    });
    setTimeout(() => {
      logger.error({
        msg: 'shutdown took too long; exiting',
        timeout_ms: timeoutMs,
      });
      process.exit(1);
    }, timeoutMs).unref();
    drainKeepAlive(app, Math.min(KEEP_ALIVE_DRAIN_MS, timeoutMs / 2))
      .then(() => app.close())
      .then(
        () => {
          logger.log('shut down cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ msg: 'shutdown failed', err: error });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/**
 * Opens and migrates the database before the service listens (see bootstrap for when). A PostgreSQL server that cannot be reached does not
 * stop the start (reads do not need it; writes answer 503 until it is back, and the first one reconnects); anything
 * else (an embedded directory in use, a database migrated by a newer version) does.
 */
async function openDatabase(database: Database, logger: Logger): Promise<void> {
  try {
    await database.db();
  } catch (error) {
    if (
      database.kind === 'postgres' &&
      error instanceof DatabaseUnavailableError
    ) {
      logger.warn({
        msg: 'the PostgreSQL server is unavailable at start: contributions answer 503 until it is back',
        reason: error.message,
      });
      return;
    }
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  // Validated here first, so a bad variable ends the process with one line, before Nest logs anything.
  const http = httpConfigFrom(environment());
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createAdapter(http),
    {
      ...APP_OPTIONS,
      bufferLogs: true,
      abortOnError: false,
    },
  );
  const logger = app.get(Logger);
  app.useLogger(logger);
  await configureApp(app);
  const database = app.get<Database>(DATABASE);
  const serving = app.get<DataSourceConfig>(dataSourceConfig.KEY).name;
  // A server is opened (and migrated) at start. The embedded database takes a few hundred MB of memory once open
  // (figures in the README), so it is opened at start only where reads use it (contributed cells); elsewhere on the
  // first tenant or contribution request.
  if (
    database.kind === 'postgres' ||
    serving === 'contributed' ||
    serving === 'blended'
  )
    await openDatabase(database, logger);
  exitOnSignals(app, http.shutdownTimeoutMs, logger);
  await app.listen(http.port, http.host);
}

bootstrap().catch((error: unknown) => {
  // One line per problem, no stack: an invalid environment is an operator's typo, not a crash. Not every library
  // throws Errors (PGlite throws plain objects): describeError says what failed whatever was thrown.
  console.error(describeError(error));
  process.exit(1);
});
