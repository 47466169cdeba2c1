import { Counter, Gauge } from 'prom-client';
import { registered } from '../common/metrics/registered-metric';

/** What the metrics read of an upstream client (BLS, Census). */
export interface MeteredUpstream {
  /** HTTP requests sent and those that failed. */
  readonly counts: { readonly calls: number; readonly failures: number };
  quotaRemaining(): Promise<number>;
}

/**
 * An upstream client's Prometheus metrics, collected when GET /metrics is scraped: `<prefix>_requests_total` by
 * outcome, and `<prefix>_quota_remaining` (the requests left in today's budget, `<limitVariable>`). No label carries
 * a key or a URL.
 */
export function registerUpstreamMetrics(
  client: MeteredUpstream,
  upstream: {
    readonly prefix: string;
    readonly api: string;
    readonly label: string;
    readonly limitVariable: string;
  },
): void {
  registered(
    `${upstream.prefix}_requests_total`,
    () =>
      new Counter({
        name: `${upstream.prefix}_requests_total`,
        help: `HTTP requests sent to the ${upstream.api}, by outcome.`,
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
    `${upstream.prefix}_quota_remaining`,
    () =>
      new Gauge({
        name: `${upstream.prefix}_quota_remaining`,
        help: `Requests left in today's ${upstream.label} budget (${upstream.limitVariable}), shared by all instances on Redis.`,
        async collect() {
          this.set(await client.quotaRemaining());
        },
      }),
  );
}
