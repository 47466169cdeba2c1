import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  CACHE_STORE,
  type CacheStore,
} from '../../cache/cache-store.interface';
import { CacheModule } from '../../cache/cache.module';
import { ReadThroughCache } from '../../cache/read-through';
import {
  dataSourceConfig,
  type BlsConfig,
  type DataSourceConfig,
} from '../../config/data-source.config';
import { BLS_CLIENT, BlsClient } from './bls-client';
import { BlsDailyQuota } from './bls-quota';
import { BlsHealthIndicator } from './bls.health';
import { BlsMetrics } from './bls.metrics';

/** BLS answers are cached per series and year for a day: BLS publishes monthly at most, and the quota is small. */
const BLS_CACHE_TTL_SECONDS = 86_400;

/** The BLS client of a config: its answers read through the shared cache, its daily quota counted in the store. */
export function createBlsClient(
  config: BlsConfig,
  store: CacheStore,
  cache: ReadThroughCache,
): BlsClient {
  return new BlsClient(
    {
      baseUrl: config.url,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      coolDownMs: config.coolDownMs,
      cacheTtlSeconds: BLS_CACHE_TTL_SECONDS,
    },
    cache,
    new BlsDailyQuota(store, config.dailyLimit),
  );
}

/** The BLS client (when DATA_SOURCE uses BLS), its readiness indicator and its Prometheus metrics. */
@Module({
  imports: [CacheModule, TerminusModule],
  providers: [
    {
      provide: BLS_CLIENT,
      inject: [dataSourceConfig.KEY, CACHE_STORE, ReadThroughCache],
      useFactory: (
        config: DataSourceConfig,
        store: CacheStore,
        cache: ReadThroughCache,
      ) =>
        config.name === 'synthetic'
          ? null
          : createBlsClient(config.bls, store, cache),
    },
    BlsHealthIndicator,
    BlsMetrics,
  ],
  exports: [BLS_CLIENT, BlsHealthIndicator],
})
export class BlsModule {}
