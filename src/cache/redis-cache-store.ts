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

/**
 * {@link CacheStore} on Redis through ioredis, fail-open. The offline queue is off and every command has a timeout,
 * so a Redis that is down, restarting or slow costs a request at most one timeout, never a failure: reads report
 * misses, writes are dropped, and both are counted. ioredis reconnects by itself (at most a second between
 * attempts). The log says when Redis becomes unavailable and when it is back: once per incident, not per request.
 * Values are JSON (`redis-cli GET` shows them) with a TTL on every key.
 */
export class RedisCacheStore
  implements CacheStore, OnModuleInit, OnApplicationShutdown
{
  readonly driver = 'redis' as const;
  private readonly logger = new Logger('RedisCache');
  private readonly redis: Redis;
  private readonly counters: CacheStats = { hits: 0, misses: 0, errors: 0 };
  private readonly target: string;
  /** False from the first failure of an incident until Redis is ready again; drives the once-per-incident log. */
  private available = true;

  constructor(private readonly options: RedisCacheStoreOptions) {
    this.target = redisTarget(options.url);
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
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
    this.available = true; // a deliberate close is not an incident
    this.redis.removeAllListeners('close');
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  status(): 'up' | 'down' {
    return this.redis.status === 'ready' ? 'up' : 'down';
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
    let raw: Array<string | null>;
    try {
      raw = await this.redis.mget(keys.map((k) => this.options.prefix + k));
    } catch (error) {
      this.fail(error);
      return misses();
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
    if (this.redis.status !== 'ready') {
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
      if (results?.some(([error]) => error)) this.counters.errors++;
      else this.markUp();
    } catch (error) {
      this.fail(error);
    }
  }

  /** SCAN by prefix and UNLINK in batches: other data in the same Redis survives. Never FLUSHDB. */
  async clear(): Promise<number> {
    if (this.redis.status !== 'ready') {
      throw new CacheUnavailableError(
        `Redis at ${this.target} is not reachable`,
      );
    }
    const pattern = `${globEscape(this.options.prefix)}*`;
    let cursor = '0';
    let deleted = 0;
    try {
      do {
        const [next, keys] = await this.redis.scan(
          cursor,
          'MATCH',
          pattern,
          'COUNT',
          SCAN_BATCH,
        );
        cursor = next;
        if (keys.length > 0) deleted += await this.redis.unlink(...keys);
      } while (cursor !== '0');
    } catch (error) {
      this.fail(error);
      throw new CacheUnavailableError(
        `Redis at ${this.target} failed while clearing after ${deleted} keys: ${(error as Error).message}`,
      );
    }
    return deleted;
  }

  private fail(error: unknown): void {
    this.counters.errors++;
    this.markDown(error instanceof Error ? error.message : String(error));
  }

  private markDown(reason: string): void {
    if (!this.available) return;
    this.available = false;
    this.logger.warn(
      `Redis cache at ${this.target} unavailable (${reason}); answering from the data source until it returns`,
    );
  }

  private markUp(): void {
    if (this.available) return;
    this.available = true;
    this.logger.log(`Redis cache at ${this.target} reachable again; using it`);
  }
}
