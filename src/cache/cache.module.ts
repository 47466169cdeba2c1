import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.validation';
import { CACHE_STORE, type CacheStore } from './cache-store.interface';
import { CacheController } from './cache.controller';
import { MemoryCacheStore } from './memory-cache-store';

@Module({
  controllers: [CacheController],
  providers: [
    {
      provide: CACHE_STORE,
      inject: [ConfigService],
      useFactory: (
        config: ConfigService<EnvironmentVariables, true>,
      ): CacheStore =>
        new MemoryCacheStore(config.get('CACHE_MAX_ENTRIES', { infer: true })),
    },
  ],
  exports: [CACHE_STORE],
})
export class CacheModule {}
