import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, register } from 'prom-client';
import { RequestHistogram } from './request-histogram';
import { CACHE_STORE, type CacheStore } from '../cache/cache-store.interface';
import {
  DATA_SOURCE,
  type DataSource,
} from '../data-sources/data-source.interface';

/** Registers a metric in the default registry, replacing one of the same name (tests build several apps). */
function registered<T>(name: string, create: () => T): T {
  register.removeSingleMetric(name);
  return create();
}

/**
 * The service's own Prometheus metrics, served with the default process metrics at GET /metrics: request durations
 * by route and status, cache hits/misses/errors by driver, BLS calls/failures and the quota left today.
 */
@Injectable()
export class MetricsService {
  private readonly requestDuration: RequestHistogram;

  constructor(
    @Inject(CACHE_STORE) cache: CacheStore,
    @Inject(DATA_SOURCE) source: DataSource,
  ) {
    this.requestDuration = registered(
      'http_request_duration_seconds',
      () =>
        new RequestHistogram(
          'http_request_duration_seconds',
          'HTTP request duration in seconds, by method, route pattern and status code.',
          [
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
            10,
          ],
        ),
    );
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
    const upstream = source.upstream?.bind(source);
    if (upstream) {
      registered(
        'bls_requests_total',
        () =>
          new Counter({
            name: 'bls_requests_total',
            help: 'HTTP requests sent to the BLS API, by outcome.',
            labelNames: ['outcome'],
            collect() {
              const status = upstream();
              this.reset();
              this.inc({ outcome: 'ok' }, status.calls - status.failures);
              this.inc({ outcome: 'failed' }, status.failures);
            },
          }),
      );
      registered(
        'bls_quota_remaining',
        () =>
          new Gauge({
            name: 'bls_quota_remaining',
            help: "Requests left in today's BLS budget (BLS_DAILY_LIMIT), shared by all instances on Redis.",
            async collect() {
              this.set(await upstream().quotaRemaining());
            },
          }),
      );
    }
  }

  /** Records one answered request. */
  observeRequest(
    method: string,
    route: string,
    status: number,
    seconds: number,
  ): void {
    this.requestDuration.observe(method, route, status, seconds);
  }
}
