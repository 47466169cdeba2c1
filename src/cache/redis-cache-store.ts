import {
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import Redis from 'ioredis';
import {
  CacheUnavailableError,
  type CacheStats,
  type CacheStore,
} from './cache-store.interface';

export interface RedisCacheStoreOptions {
  readonly url: string;
  /** Put in front of every key; clearing removes only keys with this prefix. */
  readonly prefix: string;
  /** Longest any command may wait; past it the request goes on without the cache. */
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** How long Redis must stay healthy before an incident is over; default {@link INCIDENT_QUIET_MS}. */
  readonly incidentQuietMs?: number;
}

/** Longest wait between reconnection attempts, so the cache is used again soon after Redis returns. */
const MAX_RECONNECT_DELAY_MS = 1000;
const SCAN_BATCH = 500;

/** `redis://host:port/db` without user or password, for logs. */
export function redisTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}

/** The prefix with Redis glob characters escaped, for SCAN MATCH. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** How long Redis must stay healthy before an incident is over (and a new failure logs again). */
export const INCIDENT_QUIET_MS = 10_000;

/**
 * Longest a command of a clear may take. Clearing is an operator's request, off the hot path: bound by the 100 ms
 * request-path timeout, SCAN and UNLINK failed with 503 whenever the process was busy (the benchmark's cold
 * scenario, 100 concurrent clears on a loaded machine, saw it).
 */
const CLEAR_COMMAND_TIMEOUT_MS = 5_000;

/** While Redis is failing, how often a read or counter may go to it to find out whether it answers again. */
const PROBE_INTERVAL_MS = 250;

/** A socket that receives nothing for this long while commands wait is destroyed and reconnected. */
const SOCKET_TIMEOUT_MS = 2_000;

/**
 * {@link CacheStore} on Redis through ioredis, fail-open. The offline queue is off and every command has a timeout,
 * so a Redis that is down, restarting, slow or hung costs a request at most one timeout, never a failure: reads
 * report misses and are counted; writes are skipped while Redis is failing, and reads and counters go to it one at
 * a time (a probe), the others answering at once. ioredis reconnects by itself (at most a
 * second between attempts) and a hung socket is torn down after {@link SOCKET_TIMEOUT_MS}.
 *
 * Logging is once per incident: the first failure logs a warning; further failures, flapping included, stay quiet
 * until Redis has answered for {@link INCIDENT_QUIET_MS}, when one line says it is back and how many operations
 * failed meanwhile. Values are JSON (`redis-cli GET` shows them) with a TTL on every key.
 */
export class RedisCacheStore
  implements CacheStore, OnModuleInit, OnApplicationShutdown
{
  readonly driver = 'redis' as const;
  private readonly logger = new Logger('RedisCache');
  private readonly redis: Redis;
  private readonly counters: CacheStats = { hits: 0, misses: 0, errors: 0 };
  private readonly target: string;
  /** A second connection for clears, with their own timeout; opened at the first clear. */
  private admin?: { redis: Redis; ready: Promise<void> };
  /** False from a failure until the next successful command or reconnection: status and write skipping. */
  private available = true;
  /**
   * While Redis is failing, one read or counter at a time, at most one every {@link PROBE_INTERVAL_MS}, goes to it
   * as a probe; the others answer at once as misses. Without this, every operation of a request would wait its own timeout on a slow Redis (the chaos run
   * measured 3-5 timeouts in a row per request in blended mode, a p99 of 1.5 s with a 100 ms timeout).
   */
  private probing = false;
  private lastProbeAt = 0;
  /** An incident is open from its first failure until Redis has been healthy for INCIDENT_QUIET_MS. */
  private incident?: { failures: number; closeTimer?: NodeJS.Timeout };

  constructor(private readonly options: RedisCacheStoreOptions) {
    this.target = redisTarget(options.url);
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
      socketTimeout: SOCKET_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) =>
        Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
    });
    this.redis.on('ready', () => this.markUp());
    // Without a listener ioredis would report every failed reconnection attempt as an unhandled error.
    this.redis.on('error', (error: Error) => this.markDown(error.message));
    this.redis.on('close', () => this.markDown('connection closed'));
  }

  /** Starts connecting without waiting: the service starts and serves even when Redis is unreachable. */
  onModuleInit(): void {
    this.redis.connect().catch((error: Error) => this.markDown(error.message));
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.removeAllListeners('close');
    this.redis.removeAllListeners('error');
    this.redis.on('error', () => undefined);
    clearTimeout(this.incident?.closeTimer);
    this.incident = undefined;
    this.admin?.redis.disconnect();
    this.admin = undefined;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  /** The clears' connection (same server and options, a longer command timeout), connected. */
  private async adminRedis(): Promise<Redis> {
    if (!this.admin) {
      const redis = this.redis.duplicate({
        commandTimeout: Math.max(
          CLEAR_COMMAND_TIMEOUT_MS,
          this.options.commandTimeoutMs,
        ),
        lazyConnect: true,
      });
      // Failures reach clear() through its commands; without a listener ioredis would throw them.
      redis.on('error', () => undefined);
      this.admin = { redis, ready: redis.connect() };
      this.admin.ready.catch(() => undefined);
    }
    try {
      await this.admin.ready;
    } catch {
      // A connection that never came up is replaced at the next clear.
      const failed = this.admin.redis;
      this.admin = undefined;
      failed.disconnect();
      throw new CacheUnavailableError(
        `Redis at ${this.target} is not reachable`,
      );
    }
    return this.admin.redis;
  }

  status(): 'up' | 'down' {
    return this.redis.status === 'ready' && this.available ? 'up' : 'down';
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  async getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    if (keys.length === 0) return [];
    const misses = (): Array<T | undefined> => {
      this.counters.misses += keys.length;
      return keys.map(() => undefined);
    };
    if (this.redis.status !== 'ready') {
      this.counters.errors++;
      return misses();
    }
    // Reads are tried even after a failure, one at a time: they are the probe that tells when Redis answers again.
    const probe = this.takeProbe();
    if (probe === undefined) {
      this.counters.errors++;
      return misses();
    }
    let raw: Array<string | null>;
    try {
      raw = await this.redis.mget(keys.map((k) => this.options.prefix + k));
    } catch (error) {
      this.fail(error);
      return misses();
    } finally {
      probe.release();
    }
    this.markUp();
    return raw.map((text) => {
      if (text === null) {
        this.counters.misses++;
        return undefined;
      }
      try {
        const value = JSON.parse(text) as T;
        this.counters.hits++;
        return value;
      } catch {
        // An entry that is not JSON was not written by this version: ignore it, it will be overwritten.
        this.counters.errors++;
        this.counters.misses++;
        return undefined;
      }
    });
  }

  async setMany(
    entries: ReadonlyArray<readonly [string, unknown]>,
    ttlSeconds: number,
  ): Promise<void> {
    if (entries.length === 0) return;
    // While Redis is failing, a write would only cost the request another timeout.
    if (this.redis.status !== 'ready' || !this.available) {
      this.counters.errors++;
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const [key, value] of entries) {
      pipeline.set(
        this.options.prefix + key,
        JSON.stringify(value),
        'EX',
        ttlSeconds,
      );
    }
    try {
      const results = await pipeline.exec();
      const refused = results?.find(([error]) => error)?.[0];
      if (refused) {
        // Redis answers but refuses (out of memory with noeviction, read-only replica): an incident of its own.
        this.counters.errors++;
        this.openIncident(`writes refused: ${refused.message}`);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  async increment(
    key: string,
    by: number,
    ttlSeconds: number,
  ): Promise<number | undefined> {
    if (this.redis.status !== 'ready') {
      this.counters.errors++;
      return undefined;
    }
    const probe = this.takeProbe();
    if (probe === undefined) {
      this.counters.errors++;
      return undefined;
    }
    // Counters live beside the cache, not in it: `clear` (SCAN prefix*) must not reset a daily quota.
    const fullKey = `${this.options.prefix.slice(0, -1)}#counters:${key}`;
    try {
      const results = await this.redis
        .multi()
        .incrby(fullKey, by)
        .expire(fullKey, ttlSeconds, 'NX')
        .exec();
      const [error, count] = results?.[0] ?? [new Error('no reply'), null];
      if (error) throw error;
      this.markUp();
      return Number(count);
    } catch (error) {
      this.fail(error);
      return undefined;
    } finally {
      probe.release();
    }
  }

  /**
   * SCAN by prefix and UNLINK in batches, on the clears' own connection and timeout: other data in the same Redis
   * survives. Never FLUSHDB.
   */
  async clear(): Promise<number> {
    if (this.redis.status !== 'ready') {
      throw new CacheUnavailableError(
        `Redis at ${this.target} is not reachable`,
      );
    }
    const redis = await this.adminRedis();
    const pattern = `${globEscape(this.options.prefix)}*`;
    let cursor = '0';
    let deleted = 0;
    try {
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          pattern,
          'COUNT',
          SCAN_BATCH,
        );
        cursor = next;
        if (keys.length > 0) deleted += await redis.unlink(...keys);
      } while (cursor !== '0');
    } catch (error) {
      this.fail(error);
      throw new CacheUnavailableError(
        `Redis at ${this.target} failed while clearing after ${deleted} keys: ${(error as Error).message}`,
      );
    }
    return deleted;
  }

  /**
   * Permission to send a read or counter to Redis: always while it is healthy; while it is failing, only when no
   * other probe is in flight and none started in the last {@link PROBE_INTERVAL_MS} (undefined otherwise). Release
   * it when the command is done. (A reconnection marks Redis up by itself: probes matter for a slow Redis.)
   */
  private takeProbe(): { release(): void } | undefined {
    if (this.available) return { release: () => undefined };
    const now = Date.now();
    if (this.probing || now - this.lastProbeAt < PROBE_INTERVAL_MS)
      return undefined;
    this.probing = true;
    this.lastProbeAt = now;
    return { release: () => (this.probing = false) };
  }

  private fail(error: unknown): void {
    this.counters.errors++;
    this.markDown(error instanceof Error ? error.message : String(error));
  }

  private markDown(reason: string): void {
    this.available = false;
    this.openIncident(reason);
  }

  private openIncident(reason: string): void {
    if (this.incident) {
      this.incident.failures++;
      clearTimeout(this.incident.closeTimer);
      this.incident.closeTimer = undefined;
      return;
    }
    this.incident = { failures: 1 };
    this.logger.warn(
      `Redis cache at ${this.target} unavailable (${reason}); answering from the data source until it returns`,
    );
  }

  private markUp(): void {
    this.available = true;
    const incident = this.incident;
    if (!incident || incident.closeTimer) return;
    incident.closeTimer = setTimeout(() => {
      if (this.incident !== incident) return;
      this.incident = undefined;
      this.logger.log(
        `Redis cache at ${this.target} reachable again; using it (${incident.failures} failed operations during the incident)`,
      );
    }, this.options.incidentQuietMs ?? INCIDENT_QUIET_MS);
    incident.closeTimer.unref();
  }
}
