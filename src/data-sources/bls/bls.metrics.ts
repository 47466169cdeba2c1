import { Inject, Injectable } from '@nestjs/common';
import { registerUpstreamMetrics } from '../upstream-metrics';
import { BLS_CLIENT, type BlsClient } from './bls-client';

/**
 * The BLS client's Prometheus metrics (`bls_requests_total`, `bls_quota_remaining`; see
 * {@link registerUpstreamMetrics}). Nothing is registered when DATA_SOURCE does not use BLS.
 */
@Injectable()
export class BlsMetrics {
  constructor(@Inject(BLS_CLIENT) client: BlsClient | null) {
    if (client)
      registerUpstreamMetrics(client, {
        prefix: 'bls',
        api: 'BLS API',
        label: 'BLS',
        limitVariable: 'BLS_DAILY_LIMIT',
      });
  }
}
