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
  type DataSourceConfig,
} from '../../config/data-source.config';
import { DailyQuota } from '../daily-quota';
import { CENSUS_CLIENT, CensusClient } from './census-client';
import { CensusHealthIndicator } from './census.health';
import { CensusMetrics } from './census.metrics';

/**
 * The Census client of a config, or null when no key is set: its answers read through the shared cache (per dataset,
 * year, NAICS code and geography, CENSUS_CACHE_TTL_SECONDS, kept STALE_IF_ERROR_SECONDS longer for failures), its
 * daily quota counted in the store.
 */
export function createCensusClient(
  config: DataSourceConfig,
  store: CacheStore,
  cache: ReadThroughCache,
): CensusClient | null {
  const census = config.census;
  if (!census.apiKey) return null;
  return new CensusClient(
    {
      baseUrl: census.url,
      apiKey: census.apiKey,
      timeoutMs: census.timeoutMs,
      maxRetries: census.maxRetries,
      coolDownMs: census.coolDownMs,
      cacheTtlSeconds: census.cacheTtlSeconds,
      staleIfErrorSeconds: config.staleIfErrorSeconds,
    },
    cache,
    new DailyQuota('census', store, census.dailyLimit),
  );
}

/** The Census client (when DATA_SOURCE uses Census and a key is set), its readiness indicator and its metrics. */
@Module({
  imports: [CacheModule, TerminusModule],
  providers: [
    {
      provide: CENSUS_CLIENT,
      inject: [dataSourceConfig.KEY, CACHE_STORE, ReadThroughCache],
      useFactory: (
        config: DataSourceConfig,
        store: CacheStore,
        cache: ReadThroughCache,
      ) =>
        config.name === 'census' || config.name === 'blended'
          ? createCensusClient(config, store, cache)
          : null,
    },
    CensusHealthIndicator,
    CensusMetrics,
  ],
  exports: [CENSUS_CLIENT, CensusHealthIndicator],
})
export class CensusModule {}
