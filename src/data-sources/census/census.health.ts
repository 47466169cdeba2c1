import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  dataSourceConfig,
  type DataSourceConfig,
} from '../../config/data-source.config';
import { CENSUS_CLIENT, type CensusClient } from './census-client';
import { UpstreamReadiness } from '../upstream-readiness';

/**
 * Readiness of the data source as far as Census goes (a terminus indicator, see {@link UpstreamReadiness}). Up
 * without Census; with DATA_SOURCE=census, down until Census has answered this process, probing with one small
 * request.
 */
@Injectable()
export class CensusHealthIndicator {
  private readonly readiness: UpstreamReadiness;

  constructor(
    @Inject(CENSUS_CLIENT) private readonly client: CensusClient | null,
    @Inject(dataSourceConfig.KEY)
    private readonly config: Pick<DataSourceConfig, 'name'>,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.readiness = new UpstreamReadiness(
      { key: 'census', label: 'Census', onlyMode: 'census' },
      () => client?.probe() ?? Promise.resolve(false),
    );
  }

  async isHealthy(key: string) {
    const indicator = this.indicators.check(key);
    if (!this.client)
      return indicator.up({ name: this.config.name, census: 'not used' });
    return this.readiness.check(indicator, this.config.name, this.client);
  }
}
