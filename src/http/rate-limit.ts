import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  ThrottlerGuard,
  ThrottlerModule,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { cacheConfig, type CacheConfig } from '../config/cache.config';
import { httpConfig, type HttpConfig } from '../config/http.config';
import { TenantAuthenticator } from '../tenants/tenant-authenticator';
import { TenantsModule } from '../tenants/tenants.module';
import {
  InProcessFixedWindowStorage,
  RedisFixedWindowStorage,
  type StorageRecord,
  type WindowCounter,
} from './fixed-window-storage';

/**
 * Throttler storage that counts in Redis (shared by every instance) and falls back to counting in this process
 * when Redis cannot answer, so a Redis outage relaxes the limit to per-instance instead of failing requests.
 */
export class FailOpenThrottlerStorage
  implements ThrottlerStorage, OnApplicationShutdown
{
  private readonly logger = new Logger('RateLimit');
  private sharedFailing = false;

  constructor(
    private readonly shared?: WindowCounter,
    private readonly local: WindowCounter = new InProcessFixedWindowStorage(),
  ) {}

  /** Counts a hit in `ttl`-ms windows; a blocked client waits for its window's end (no separate block duration). */
  async increment(
    key: string,
    ttl: number,
    limit: number,
  ): Promise<StorageRecord> {
    if (this.shared) {
      try {
        const record = await this.shared.increment(key, ttl, limit);
        if (this.sharedFailing)
          this.logger.log(
            'Redis answers again: rate limits are shared by all instances again',
          );
        this.sharedFailing = false;
        return record;
      } catch (error) {
        if (!this.sharedFailing) {
          this.logger.warn(
            `Redis unavailable for rate limiting (${(error as Error).message}); counting per instance meanwhile`,
          );
        }
        this.sharedFailing = true;
      }
    }
    return this.local.increment(key, ttl, limit);
  }

  onApplicationShutdown(): void {
    this.shared?.onApplicationShutdown();
    this.local.onApplicationShutdown();
  }
}

type TrackedRequest = {
  ip: string;
  headers: Record<string, string | string[] | undefined>;
};

/**
 * Whose budget a request spends: its tenant's when it carries a valid tenant key (every address of the tenant's app
 * shares one), else its IP address's. A key that is invalid, or cannot be checked, counts against the address: made-up
 * keys never buy a client a fresh budget.
 */
export async function trackerOf(
  request: TrackedRequest,
  tenants: Pick<TenantAuthenticator, 'authenticate'>,
): Promise<string> {
  if (!TenantAuthenticator.carriesTenantKey(request)) return request.ip;
  const auth = await tenants.authenticate(request);
  return auth.kind === 'tenant' ? `tenant:${auth.tenant.tenantId}` : request.ip;
}

/** The 429 answer's message. */
export function rateLimitMessage(limitPerMinute: number): string {
  return `Too many requests: at most ${limitPerMinute} a minute per client. Retry after the number of seconds in the Retry-After header.`;
}

/**
 * Per-client rate limit: RATE_LIMIT_PER_MINUTE requests a minute per tenant (with a valid tenant key) or per client IP
 * (0 disables), in fixed one-minute
 * windows counted per client (a cost per request that does not grow with the limit), answered beyond with 429 and
 * `Retry-After` (the seconds left in the window); shared across instances through Redis when REDIS_URL is set.
 */
export const RateLimitModule = ThrottlerModule.forRootAsync({
  imports: [TenantsModule],
  inject: [httpConfig.KEY, cacheConfig.KEY, TenantAuthenticator],
  useFactory: (
    http: HttpConfig,
    cache: CacheConfig,
    tenants: TenantAuthenticator,
  ) => {
    const limit = http.rateLimitPerMinute;
    let shared: RedisFixedWindowStorage | undefined;
    if (cache.redis) {
      shared = new RedisFixedWindowStorage(cache.redis.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: cache.redis.commandTimeoutMs,
        connectTimeout: cache.redis.connectTimeoutMs,
        retryStrategy: (attempt: number) => Math.min(attempt * 200, 1000),
        // Beside the cache's keys, not under its prefix: clearing the cache must not reset rate limits.
        keyPrefix: `${cache.prefix.slice(0, -1)}#throttle:`,
      });
      // Connection errors are reported through failed increments; without a listener ioredis would throw them.
      shared.redis.on('error', () => undefined);
    }
    return {
      throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(limit, 1) }],
      skipIf: () => limit === 0,
      // One budget per client for the whole API (the default key is per route and handler).
      generateKey: (_context: unknown, tracker: string, name: string) =>
        `${name}:${tracker}`,
      getTracker: (request: Record<string, unknown>) =>
        trackerOf(request as unknown as TrackedRequest, tenants),
      errorMessage: rateLimitMessage(limit),
      storage: new FailOpenThrottlerStorage(shared),
    };
  },
});

/**
 * The global guard: the throttler's when RATE_LIMIT_PER_MINUTE is above 0, else a pass at once (the throttler's own
 * guard reads route metadata and awaits promises even when skipped). A trick that pays: BENCHMARKS.md, redesign.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(
    private readonly throttler: ThrottlerGuard,
    @Inject(httpConfig.KEY) http: Pick<HttpConfig, 'rateLimitPerMinute'>,
  ) {
    this.enabled = http.rateLimitPerMinute > 0;
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.enabled ? this.throttler.canActivate(context) : true;
  }
}
