import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { registered } from '../../common/metrics/registered-metric';
import { BLS_CLIENT, type BlsClient } from './bls-client';

/**
 * The BLS client's Prometheus metrics, collected when GET /metrics is scraped: requests sent by outcome, and the
 * requests left in today's budget. Nothing is registered when DATA_SOURCE does not use BLS.
 */
@Injectable()
export class BlsMetrics {
  constructor(@Inject(BLS_CLIENT) client: BlsClient | null) {
    if (!client) return;
    registered(
      'bls_requests_total',
      () =>
        new Counter({
          name: 'bls_requests_total',
          help: 'HTTP requests sent to the BLS API, by outcome.',
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
      'bls_quota_remaining',
      () =>
        new Gauge({
          name: 'bls_quota_remaining',
          help: "Requests left in today's BLS budget (BLS_DAILY_LIMIT), shared by all instances on Redis.",
          async collect() {
            this.set(await client.quotaRemaining());
          },
        }),
    );
  }
}
