import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.validation';
import { AdminKeyGuard } from './admin-key.guard';
import { CACHE_STORE, type CacheStore } from './cache-store.interface';
import { CacheController } from './cache.controller';
import { MemoryCacheStore } from './memory-cache-store';
import { RedisCacheStore } from './redis-cache-store';

/** The shared cache: Redis when REDIS_URL is set, else a bounded in-process store. One instance per app. */
@Module({
  controllers: [CacheController],
  providers: [
    AdminKeyGuard,
    {
      provide: CACHE_STORE,
      inject: [ConfigService],
      useFactory: (
        config: ConfigService<EnvironmentVariables, true>,
      ): CacheStore => {
        const url = config.get('REDIS_URL', { infer: true });
        if (!url)
          return new MemoryCacheStore(
            config.get('CACHE_MAX_ENTRIES', { infer: true }),
          );
        return new RedisCacheStore({
          url,
          prefix: config.get('CACHE_PREFIX', { infer: true }),
          commandTimeoutMs: config.get('REDIS_COMMAND_TIMEOUT_MS', {
            infer: true,
          }),
          connectTimeoutMs: config.get('REDIS_CONNECT_TIMEOUT_MS', {
            infer: true,
          }),
        });
      },
    },
  ],
  exports: [CACHE_STORE],
})
export class CacheModule {}
