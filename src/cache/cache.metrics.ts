import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { registered } from '../common/metrics/registered-metric';
import { CACHE_STORE, type CacheStore } from './cache-store.interface';

/** The cache store's Prometheus counters, by driver, read from its stats when GET /metrics is scraped. */
@Injectable()
export class CacheMetrics {
  constructor(@Inject(CACHE_STORE) cache: CacheStore) {
    for (const [name, field, help] of [
      [
        'benchmark_cache_hits_total',
        'hits',
        'Cache lookups that found an entry.',
      ],
      [
        'benchmark_cache_misses_total',
        'misses',
        'Cache lookups that found nothing (or could not ask the store).',
      ],
      [
        'benchmark_cache_errors_total',
        'errors',
        'Cache operations that failed (Redis down, slow or refusing).',
      ],
    ] as const) {
      registered(
        name,
        () =>
          new Counter({
            name,
            help,
            labelNames: ['driver'],
            collect() {
              this.reset();
              this.inc({ driver: cache.driver }, cache.stats()[field]);
            },
          }),
      );
    }
  }
}
