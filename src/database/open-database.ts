import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { resolve } from 'node:path';
import { Client, Pool } from 'pg';
import { describeError } from '../common/describe-error';
import type { DatabaseConfig } from '../config/database.config';
import {
  classified,
  DatabaseStatementError,
  DatabaseUnavailableError,
  isUnavailable,
  type Database,
  type Db,
  type Session,
  type Transact,
} from './database';
import { migrate } from './migrate';
import { createFromTemplate } from './pglite-template';
import { schema } from './schema';

/** An open database: its queries, its transactions, its locks, and how to close it. */
interface Opened {
  readonly db: Db;
  readonly transaction: Transact;
  withLock<T>(
    key: number,
    work: (session: Session) => Promise<T>,
  ): Promise<T | undefined>;
  lockHeld(key: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens on first use and migrates; a failed open (server down, migration refused) is forgotten so that the next call
 * tries again. Errors leave as {@link classified} ones: never with a statement's parameters.
 */
class LazyDatabase implements Database {
  private opening?: Promise<Opened>;
  private closed = false;
  private ready = false;
  private outcome: 'up' | 'down' | 'unused' = 'unused';

  constructor(
    readonly kind: Database['kind'],
    private readonly open: () => Promise<Opened>,
  ) {}

  async db(): Promise<Db> {
    return (await this.opened()).db;
  }

  run<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return this.using((opened) => work(opened.db));
  }

  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    return this.using((opened) => opened.transaction(work));
  }

  async withLock<T>(
    key: number,
    work: (session: Session) => Promise<T>,
  ): Promise<T | undefined> {
    const opened = await this.opened();
    // Only taking the lock is this database's to classify: `work` answers for its own errors.
    let failure: { error: unknown } | undefined;
    const result = await opened
      .withLock(key, (session) =>
        work({
          transaction: (w, timeoutMs) =>
            this.using(() => session.transaction(w, timeoutMs)),
        }).catch((error: unknown) => {
          failure = { error };
          return undefined;
        }),
      )
      .catch((error: unknown) => {
        throw this.noted(error);
      });
    if (failure) throw failure.error;
    return result;
  }

  lockHeld(key: number): Promise<boolean> {
    return this.using((opened) => opened.lockHeld(key));
  }

  isOpen(): boolean {
    return this.ready;
  }

  status(): 'up' | 'down' | 'unused' {
    return this.outcome;
  }

  /** The open database, opening it first (once; a failed open is forgotten). */
  private async opened(): Promise<Opened> {
    if (this.closed)
      throw new DatabaseUnavailableError('The database is closed');
    if (!this.opening) {
      const opening = this.open();
      this.opening = opening;
      opening.catch(() => {
        if (this.opening === opening) this.opening = undefined;
      });
    }
    try {
      const opened = await this.opening;
      this.ready = !this.closed;
      if (this.outcome === 'unused') this.outcome = 'up';
      return opened;
    } catch (error) {
      throw this.noted(error);
    }
  }

  /** Runs `work` on the open database, noting what it found for {@link status}; errors leave classified. */
  private async using<T>(work: (opened: Opened) => Promise<T>): Promise<T> {
    const opened = await this.opened();
    try {
      const result = await work(opened);
      this.outcome = 'up';
      return result;
    } catch (error) {
      throw this.noted(error);
    }
  }

  /** The error as it leaves ({@link classified}), the outcome noted for {@link status}. */
  private noted(error: unknown): Error {
    const leaving = classified(error);
    if (leaving instanceof DatabaseUnavailableError) this.outcome = 'down';
    else if (leaving instanceof DatabaseStatementError) this.outcome = 'up'; // it answered, refusing the statement
    return leaving;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ready = false;
    const opening = this.opening;
    this.opening = undefined;
    if (!opening) return;
    const opened = await opening.catch(() => undefined);
    await opened?.close();
  }
}

/**
 * Transactions on one pooled connection: BEGIN, the work, COMMIT, or ROLLBACK when it throws; the connection always
 * goes back to the pool, and is discarded when it failed (so a dead one is never reused).
 */
function pooledTransaction(pool: Pool): Transact {
  return async <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      try {
        const result = await work(drizzlePostgres(client, { schema }));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((failure: Error) => {
          broken = failure;
        });
        throw error;
      }
    } catch (error) {
      if (isUnavailable(error)) broken ??= error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  };
}

/** Waits for `closing` (its failure ignored), but not past `timeoutMs`: a connection that never answers holds nothing. */
async function boundedClose(
  closing: Promise<unknown>,
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    closing.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

/** Ends the pool, within `timeoutMs`. */
function endPool(pool: Pool, timeoutMs: number): Promise<void> {
  return boundedClose(pool.end(), timeoutMs);
}

/** A PostgreSQL server through a node-postgres pool, every statement and connection attempt bounded. */
function openPostgres(url: string, timeoutMs: number): () => Promise<Opened> {
  return async () => {
    const pool = new Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: timeoutMs,
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs + 1000,
      idleTimeoutMillis: 30_000,
      application_name: 'benchmark-api',
    });
    // A connection dropping is reported as an 'error' event: the pool's for an idle client, the client's own for one
    // checked out between two statements. Without a listener either would end the process; the statement that needed
    // the connection fails on its own (and answers 503).
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = drizzlePostgres(pool, { schema }) as unknown as Db;
    const transaction = pooledTransaction(pool);
    try {
      await migrate(transaction);
    } catch (error) {
      await endPool(pool, timeoutMs);
      throw error;
    }
    return {
      db,
      transaction,
      withLock: (key, work) => withAdvisoryLock(url, timeoutMs, key, work),
      lockHeld: async (key) => {
        // A bigint advisory key below 2^32 shows as objid with classid 0 and objsubid 1.
        const { rows } = await pool.query<{ held: boolean }>(
          `select exists (select 1 from pg_locks where locktype = 'advisory' and classid = 0 and objid = $1 and objsubid = 1 and granted) as held`,
          [key],
        );
        return rows[0].held;
      },
      close: () => endPool(pool, timeoutMs),
    };
  };
}

/**
 * Runs `work` holding the session advisory lock `key` on a connection of its own (not the pool's: its statements are
 * bounded per transaction by the job, not by DATABASE_TIMEOUT_MS), closed afterwards, which releases the lock; a
 * process that dies releases it with its connection. Undefined when another session holds the lock.
 */
async function withAdvisoryLock<T>(
  url: string,
  timeoutMs: number,
  key: number,
  work: (session: Session) => Promise<T>,
): Promise<T | undefined> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    keepAlive: true,
    application_name: 'benchmark-api job',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1) as locked',
      [key],
    );
    if (!rows[0].locked) return undefined;
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return await work({
      transaction: async (job, jobTimeoutMs) => {
        await client.query('begin');
        try {
          await client.query(
            `set local statement_timeout = ${Math.max(1, Math.ceil(jobTimeoutMs))}`,
          );
          const result = await job(db);
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw error;
        }
      },
    });
  } finally {
    await boundedClose(client.end(), timeoutMs);
  }
}

/** Embedded directories this process has open. */
const openHere = new Set<string>();

/**
 * Refuses a data directory another live process holds, or this process has open already: two PGlite instances on
 * one directory do not see each other's writes and corrupt it.
 */
function lockDirectory(dir: string): () => void {
  if (openHere.has(dir))
    throw new DatabaseUnavailableError(
      `The embedded database in ${dir} is already open in this process: run one instance per DATA_DIR, or set DATABASE_URL to share a PostgreSQL server`,
    );
  const lockFile = resolve(dir, 'pglite.pid');
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder))
      throw new DatabaseUnavailableError(
        `The embedded database in ${dir} is in use by process ${holder}: run one instance per DATA_DIR, or set DATABASE_URL to share a PostgreSQL server`,
        { cause: error },
      );
    writeFileSync(lockFile, String(process.pid));
  }
  openHere.add(dir);
  return () => {
    openHere.delete(dir);
    rmSync(lockFile, { force: true });
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite's file-system errors are Emscripten's `ErrnoError`: not an Error but a plain `{ name, errno }`, numbered as
 * WASI numbers them (a 20 MB disk filling during creation throws `{ name: 'ErrnoError', errno: 51 }`).
 */
const EMSCRIPTEN_ERRNOS: Readonly<Record<number, string>> = {
  2: 'permission denied (EACCES)',
  19: 'disk quota exceeded (EDQUOT)',
  20: 'file exists (EEXIST)',
  29: 'input/output error (EIO)',
  31: 'a directory where a file was expected (EISDIR)',
  33: 'too many open files (EMFILE)',
  44: 'no such file or directory (ENOENT)',
  51: 'no space left on device (ENOSPC)',
  54: 'a file where a directory was expected (ENOTDIR)',
  63: 'operation not permitted (EPERM)',
  69: 'read-only file system (EROFS)',
};

/** Why the embedded database failed, in words: an ErrnoError by its errno, anything else as {@link describeError} does. */
function embeddedReason(error: unknown): string {
  const { name, errno } = (error ?? {}) as { name?: unknown; errno?: unknown };
  return name === 'ErrnoError' &&
    typeof errno === 'number' &&
    Object.hasOwn(EMSCRIPTEN_ERRNOS, errno)
    ? `${EMSCRIPTEN_ERRNOS[errno]}, PGlite's ${describeError(error)}`
    : describeError(error);
}

/**
 * PostgreSQL's default shared_buffers (128MB, which initdb writes) is all touched when PGlite starts, so it is resident
 * for the process's life: most of what the open embedded database costs. Its files are read through the OS's page
 * cache anyway. Bulk writes into indexes larger than this are slower (figures in the README).
 */
const EMBEDDED_SHARED_BUFFERS = '16MB';

/**
 * The embedded PostgreSQL (PGlite) in `<dataDir>/pglite`. A failure to create or open it (the directory, or PGlite's
 * start, which may throw a non-Error) leaves as a DatabaseUnavailableError saying which step failed, in which
 * directory, and why.
 */
function openEmbedded(dataDir: string): () => Promise<Opened> {
  return async () => {
    const dir = resolve(dataDir, 'pglite');
    const step = existsSync(resolve(dir, 'PG_VERSION')) ? 'open' : 'create';
    const failed = (error: unknown) =>
      new DatabaseUnavailableError(
        `Could not ${step} the embedded database in ${dir}: ${embeddedReason(error)}`,
        { cause: error },
      );
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw failed(error);
    }
    const unlock = lockDirectory(resolve(dataDir));
    let client: PGlite | undefined;
    try {
      try {
        // A new database starts from the template, where there is one, sparing the process initdb's peak of memory.
        if (readdirSync(dir).length === 0) await createFromTemplate(dir);
        client = new PGlite(dir, {
          startParams: [
            ...PGlite.defaultStartParams,
            '-c',
            `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`,
          ],
        });
        await client.waitReady;
      } catch (error) {
        throw failed(error);
      }
      const db = drizzlePglite(client, { schema }) as unknown as Db;
      // PGlite is one connection: drizzle's transaction takes it exclusively, and a failure there leaks nothing.
      const transaction: Transact = (work) =>
        db.transaction((tx) => work(tx as unknown as Db));
      await migrate(transaction);
      const opened = client;
      // One process owns the directory (lockDirectory): its locks are this process's to keep.
      const held = new Set<number>();
      return {
        db,
        transaction,
        withLock: async (key, work) => {
          if (held.has(key)) return undefined;
          held.add(key);
          try {
            return await work({ transaction: (job) => transaction(job) });
          } finally {
            held.delete(key);
          }
        },
        lockHeld: (key) => Promise.resolve(held.has(key)),
        close: async () => {
          await opened.close();
          unlock();
        },
      };
    } catch (error) {
      await client?.close().catch(() => undefined);
      unlock();
      throw error;
    }
  };
}

/** The configured database: the server at DATABASE_URL, else the embedded one under DATA_DIR. Opened on first use. */
export function createDatabase(config: DatabaseConfig): Database {
  return config.url
    ? new LazyDatabase('postgres', openPostgres(config.url, config.timeoutMs))
    : new LazyDatabase('embedded', openEmbedded(config.dataDir));
}
