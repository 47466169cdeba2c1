import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { registered } from '../../common/metrics/registered-metric';
import { CENSUS_CLIENT, type CensusClient } from './census-client';

/**
 * The Census client's Prometheus metrics, collected when GET /metrics is scraped: requests sent by outcome, and the
 * requests left in today's budget. Nothing is registered when DATA_SOURCE does not use Census. No label carries the
 * key or a URL.
 */
@Injectable()
export class CensusMetrics {
  constructor(@Inject(CENSUS_CLIENT) client: CensusClient | null) {
    if (!client) return;
    registered(
      'census_requests_total',
      () =>
        new Counter({
          name: 'census_requests_total',
          help: 'HTTP requests sent to the Census Data API, by outcome.',
          labelNames: ['outcome'],
          collect() {
            const { calls, failures } = client.counts;
            this.reset();
            this.inc({ outcome: 'ok' }, calls - failures);
            this.inc({ outcome: 'failed' }, failures);
          },
        }),
    );
    registered(
      'census_quota_remaining',
      () =>
        new Gauge({
          name: 'census_quota_remaining',
          help: "Requests left in today's Census budget (CENSUS_DAILY_LIMIT), shared by all instances on Redis.",
          async collect() {
            this.set(await client.quotaRemaining());
          },
        }),
    );
  }
}
