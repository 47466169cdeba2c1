import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  dataSourceConfig,
  type DataSourceConfig,
} from '../../config/data-source.config';
import { BLS_CLIENT, type BlsClient } from './bls-client';
import { OEWS_PROBE_SERIES } from './bls-series-ids';
import { UpstreamReadiness } from '../upstream-readiness';

/**
 * Readiness of the data source as far as BLS goes (a terminus indicator, see {@link UpstreamReadiness}). Up without
 * BLS (the synthetic source); with DATA_SOURCE=bls, down until BLS has answered this process, probing for a series
 * whose one OEWS year the API always holds.
 */
@Injectable()
export class BlsHealthIndicator {
  private readonly readiness: UpstreamReadiness;

  constructor(
    @Inject(BLS_CLIENT) private readonly client: BlsClient | null,
    @Inject(dataSourceConfig.KEY)
    private readonly config: Pick<DataSourceConfig, 'name'>,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.readiness = new UpstreamReadiness(
      { key: 'bls', label: 'BLS', onlyMode: 'bls' },
      () => client?.probe(OEWS_PROBE_SERIES) ?? Promise.resolve(false),
    );
  }

  async isHealthy(key: string) {
    const indicator = this.indicators.check(key);
    if (!this.client) return indicator.up({ name: this.config.name });
    return this.readiness.check(indicator, this.config.name, this.client);
  }
}
