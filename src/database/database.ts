import { DrizzleQueryError, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { schema } from './schema';

/** Injection token of the {@link Database}. */
export const DATABASE = Symbol('DATABASE');

/** The typed query interface over either driver (node-postgres or PGlite): drizzle's, with the project's schema. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export type Transact = <T>(work: (tx: Db) => Promise<T>) => Promise<T>;

/** A long job's connection of its own (see {@link Database.withLock}). */
export interface Session {
  /**
   * Runs `work` in one transaction whose statements may each take up to `timeoutMs` (PostgreSQL's statement_timeout;
   * the embedded database has no such bound), not DATABASE_TIMEOUT_MS. Errors as {@link Database.run}'s.
   */
  transaction<T>(work: (tx: Db) => Promise<T>, timeoutMs: number): Promise<T>;
}

/**
 * The database port: a PostgreSQL server (DATABASE_URL) or an embedded PostgreSQL (PGlite) under DATA_DIR, opened
 * and migrated on first use. Contract: {@link db} resolves to a migrated database or rejects with a
 * {@link DatabaseUnavailableError}; a failed open is retried on the next call.
 */
export interface Database {
  readonly kind: 'postgres' | 'embedded';
  db(): Promise<Db>;
  /** Whether it has been opened (and migrated) and not closed since. */
  isOpen(): boolean;
  /**
   * What the last use found: `up` (it answered), `down` (unavailable), or `unused` (not asked yet: an embedded database
   * nothing has opened). No probe: reading it costs nothing.
   */
  status(): 'up' | 'down' | 'unused';
  /** Runs `work` with the database, turning a connection failure or a timeout into a DatabaseUnavailableError. */
  run<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction (use this, not drizzle's `db.transaction`: on node-postgres that one keeps the
   * connection checked out forever when BEGIN fails, and the pool then never ends). Errors as {@link run}'s.
   */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Runs `work` while this process holds the lock `key` for every instance (a PostgreSQL advisory lock held by a
   * connection of its own, released when `work` ends or the process dies; in-process for the embedded database, which
   * one process owns), with a {@link Session} for the job's transactions. Undefined, without running `work`, when
   * another holder has the lock. Connecting and locking fail as {@link run} does; `work`'s errors pass as they are.
   */
  withLock<T>(
    key: number,
    work: (session: Session) => Promise<T>,
  ): Promise<T | undefined>;
  /** Whether any process holds the lock `key` now. */
  lockHeld(key: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The database cannot answer now (down, unreachable, too slow, out of connections): writes answer 503 with
 * Retry-After, reads fall back. The message never holds the URL or a value.
 */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * A statement took longer than it may (PostgreSQL cancelled it at statement_timeout, or the driver stopped waiting):
 * the database answers, too slowly for this request. A write was rolled back. Answered 504, never "unavailable"; reads
 * fall back as for an unavailable database (it is one, for them).
 */
export class DatabaseTimeoutError extends DatabaseUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseTimeoutError';
  }
}

/**
 * A statement failed for a reason other than availability (a bug, a constraint the code did not expect). Its message
 * holds the SQLSTATE only: drizzle's own error message holds the statement's parameters, which may be contributed
 * values, and must never reach a log.
 */
export class DatabaseStatementError extends Error {
  constructor(readonly sqlState: string | undefined) {
    super(`A database statement failed (SQLSTATE ${sqlState ?? 'unknown'})`);
    this.name = 'DatabaseStatementError';
  }
}

/** SQLSTATE of a statement cancelled by statement_timeout (or by an operator's pg_cancel_backend). */
const QUERY_CANCELED = '57014';

/** Whether a driver's error means a statement took too long: cancelled by the server, or given up on by the client. */
export function isTimeout(error: unknown): boolean {
  if (error instanceof DatabaseTimeoutError) return true;
  const cause = driverError(error) as { code?: unknown; message?: unknown };
  if (typeof cause !== 'object' || cause === null) return false;
  return (
    cause.code === QUERY_CANCELED ||
    (typeof cause.message === 'string' &&
      /^Query read timeout$/.test(cause.message))
  );
}

/** SQLSTATE classes that mean the server cannot serve now rather than that the statement is wrong. */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);

/** The driver's own error under drizzle's wrapper (which holds the statement and its parameters). */
function driverError(error: unknown): unknown {
  return error instanceof DrizzleQueryError ? error.cause : error;
}

/**
 * Whether an error from a driver means the database is unavailable: a connection error or timeout (a Node error
 * code such as ECONNREFUSED, or a pool or client timeout), or a SQLSTATE of class 08 (connection), 53 (resources),
 * 57 (operator intervention: shutdown, statement timeout) or 58 (system). A constraint or syntax error is not.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  // Not `instanceof Error`: a socket's errors may come from another realm (Node's own, under a test VM).
  const cause = driverError(error) as { code?: unknown; message?: unknown };
  if (typeof cause !== 'object' || cause === null) return false;
  const code = cause.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
    return UNAVAILABLE_CLASSES.has(code.slice(0, 2));
  if (typeof code === 'string') return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...
  return (
    typeof cause.message === 'string' &&
    /timeout|terminated|connect|closed|ended/i.test(cause.message)
  );
}

/**
 * A driver's error as one the service may log: a {@link DatabaseUnavailableError} when it means unavailable, else a
 * {@link DatabaseStatementError}; neither holds the statement's parameters. The service's own errors pass as they are.
 */
export function classified(error: unknown): Error {
  if (
    error instanceof DatabaseUnavailableError ||
    error instanceof DatabaseStatementError ||
    typeof (error as { getStatus?: unknown } | null)?.getStatus === 'function'
  )
    return error as Error;
  const cause = driverError(error);
  const code = (cause as { code?: unknown } | undefined)?.code;
  const shown = typeof code === 'string' ? code : undefined;
  if (isTimeout(error))
    return new DatabaseTimeoutError(
      `The database did not answer in time${shown ? ` (${shown})` : ''}`,
    );
  if (isUnavailable(error))
    return new DatabaseUnavailableError(
      `The database is unavailable${shown ? ` (${shown})` : ''}`,
    );
  if (cause !== error || shown !== undefined)
    return new DatabaseStatementError(shown);
  return error instanceof Error ? error : new Error(String(error));
}

/** The rows of a raw statement: both drivers answer `{ rows }` (drizzle's common type leaves it unknown). */
export async function rowsOf<T>(
  db: Pick<Db, 'execute'>,
  statement: SQL,
): Promise<T[]> {
  const result: unknown = await db.execute(statement);
  return (result as { rows: T[] }).rows;
}
