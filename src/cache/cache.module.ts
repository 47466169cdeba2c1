import { Module } from '@nestjs/common';
import { cacheConfig, type CacheConfig } from '../config/cache.config';
import { AdminKeyGuard } from '../http/admin-key.guard';
import { CACHE_STORE, type CacheStore } from './cache-store.interface';
import { CacheController } from './cache.controller';
import { CacheMetrics } from './cache.metrics';
import { MemoryCacheStore } from './memory-cache-store';
import { ReadThroughCache } from './read-through';
import { RedisCacheStore } from './redis-cache-store';

/**
 * The shared cache: Redis when REDIS_URL is set, else a bounded in-process store (one per app), the read-through
 * every feature loads through, DELETE /cache and the cache's metrics.
 */
@Module({
  controllers: [CacheController],
  providers: [
    AdminKeyGuard,
    CacheMetrics,
    ReadThroughCache,
    {
      provide: CACHE_STORE,
      inject: [cacheConfig.KEY],
      useFactory: (config: CacheConfig): CacheStore =>
        config.redis
          ? new RedisCacheStore({ ...config.redis, prefix: config.prefix })
          : new MemoryCacheStore(config.maxEntries),
    },
  ],
  exports: [CACHE_STORE, ReadThroughCache],
})
export class CacheModule {}
