import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { registered } from '../common/metrics/registered-metric';

/**
 * Contributed data's Prometheus metrics. Counts and durations only: no value, business or tenant ever becomes a label.
 */
@Injectable()
export class ContributionsMetrics {
  readonly records = registered(
    'benchmark_contributions_total',
    () =>
      new Counter({
        name: 'benchmark_contributions_total',
        help: 'Contribution records received, by outcome: accepted (committed), refused (invalid), failed (database unavailable).',
        labelNames: ['outcome'],
      }),
  );

  readonly cellBusinesses = registered(
    'benchmark_published_cell_businesses',
    () =>
      new Histogram({
        name: 'benchmark_published_cell_businesses',
        help: 'Businesses per published cell of the latest publication this instance made.',
        buckets: [10, 20, 30, 50, 100, 200, 500, 1000, 5000],
      }),
  );

  readonly cells = registered(
    'benchmark_publication_cells',
    () =>
      new Gauge({
        name: 'benchmark_publication_cells',
        help: 'Cells of the latest publication this instance made: published, or withheld under CONTRIBUTION_MIN_PEERS or CONTRIBUTION_MIN_TENANTS.',
        labelNames: ['state'],
      }),
  );

  readonly publicationSeconds = registered(
    'benchmark_publication_duration_seconds',
    () =>
      new Histogram({
        name: 'benchmark_publication_duration_seconds',
        help: 'How long publications took, by outcome (published, skipped: another instance was publishing, failed).',
        labelNames: ['outcome'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      }),
  );
}
