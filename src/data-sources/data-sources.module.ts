import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CACHE_STORE, type CacheStore } from '../cache/cache-store.interface';
import { CacheModule } from '../cache/cache.module';
import {
  blsDailyLimit,
  type EnvironmentVariables,
} from '../config/env.validation';
import { BlsClient } from './bls/bls-client';
import { BlsDataSource } from './bls/bls-data-source';
import { BlsDailyQuota } from './bls/bls-quota';
import { DATA_SOURCE, type DataSource } from './data-source.interface';
import { SyntheticDataSource } from './synthetic/synthetic-data-source';

/** BLS answers are cached per series and year for a day: BLS publishes monthly at most, and the quota is small. */
const BLS_CACHE_TTL_SECONDS = 86_400;

@Module({
  imports: [CacheModule],
  providers: [
    {
      provide: DATA_SOURCE,
      inject: [ConfigService, CACHE_STORE],
      useFactory: (
        config: ConfigService<EnvironmentVariables, true>,
        cache: CacheStore,
      ): DataSource => {
        const synthetic = new SyntheticDataSource(
          config.get('SYNTHETIC_SEED', { infer: true }),
        );
        const mode = config.get('DATA_SOURCE', { infer: true });
        if (mode === 'synthetic') return synthetic;
        const env = {
          BLS_DAILY_LIMIT: config.get('BLS_DAILY_LIMIT', { infer: true }),
          BLS_API_KEY: config.get('BLS_API_KEY', { infer: true }),
        } as EnvironmentVariables;
        const client = new BlsClient(
          {
            baseUrl: config.get('BLS_API_URL', { infer: true }),
            apiKey: env.BLS_API_KEY,
            timeoutMs: config.get('BLS_TIMEOUT_MS', { infer: true }),
            maxRetries: config.get('BLS_MAX_RETRIES', { infer: true }),
            coolDownMs: config.get('BLS_COOLDOWN_MS', { infer: true }),
            cacheTtlSeconds: BLS_CACHE_TTL_SECONDS,
          },
          cache,
          new BlsDailyQuota(cache, blsDailyLimit(env)),
        );
        return new BlsDataSource(mode, client, synthetic);
      },
    },
  ],
  exports: [DATA_SOURCE],
})
export class DataSourcesModule {}
