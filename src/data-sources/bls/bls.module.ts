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
import { DailyQuota } from '../daily-quota';
import { BlsHealthIndicator } from './bls.health';
import { BlsMetrics } from './bls.metrics';

/**
 * The BLS client of a config: its answers read through the shared cache (per series and year, BLS_CACHE_TTL_SECONDS,
 * kept STALE_IF_ERROR_SECONDS longer for failures), its daily quota counted in the store.
 */
export function createBlsClient(
  config: BlsConfig,
  store: CacheStore,
  cache: ReadThroughCache,
  staleIfErrorSeconds: number,
): BlsClient {
  return new BlsClient(
    {
      baseUrl: config.url,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      coolDownMs: config.coolDownMs,
      cacheTtlSeconds: config.cacheTtlSeconds,
      staleIfErrorSeconds,
    },
    cache,
    new DailyQuota('bls', store, config.dailyLimit),
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
        config.name === 'bls' || config.name === 'blended'
          ? createBlsClient(
              config.bls,
              store,
              cache,
              config.staleIfErrorSeconds,
            )
          : null,
    },
    BlsHealthIndicator,
    BlsMetrics,
  ],
  exports: [BLS_CLIENT, BlsHealthIndicator],
})
export class BlsModule {}
