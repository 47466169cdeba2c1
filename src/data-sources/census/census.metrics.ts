import { Inject, Injectable } from '@nestjs/common';
import { registerUpstreamMetrics } from '../upstream-metrics';
import { CENSUS_CLIENT, type CensusClient } from './census-client';

/**
 * The Census client's Prometheus metrics (`census_requests_total`, `census_quota_remaining`; see
 * {@link registerUpstreamMetrics}). Nothing is registered when DATA_SOURCE does not use Census.
 */
@Injectable()
export class CensusMetrics {
  constructor(@Inject(CENSUS_CLIENT) client: CensusClient | null) {
    if (client)
      registerUpstreamMetrics(client, {
        prefix: 'census',
        api: 'Census Data API',
        label: 'Census',
        limitVariable: 'CENSUS_DAILY_LIMIT',
      });
  }
}
