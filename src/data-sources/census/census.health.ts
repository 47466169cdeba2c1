import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  dataSourceConfig,
  type DataSourceConfig,
} from '../../config/data-source.config';
import { CENSUS_CLIENT, type CensusClient } from './census-client';

/** A process that has never reached Census tries again at most this often (each try costs one request of the quota). */
const PROBE_INTERVAL_MS = 60_000;

/**
 * Readiness of the data source as far as Census goes (a terminus indicator). Up without Census, and in blended mode,
 * which serves kept answers or stand-ins when Census fails. With DATA_SOURCE=census, down until Census has answered
 * this process (or its answers were found in the cache): it probes, at most once per {@link PROBE_INTERVAL_MS}, with
 * one small request.
 */
@Injectable()
export class CensusHealthIndicator {
  private lastProbe?: { at: number; ok: boolean };

  constructor(
    @Inject(CENSUS_CLIENT) private readonly client: CensusClient | null,
    @Inject(dataSourceConfig.KEY)
    private readonly config: Pick<DataSourceConfig, 'name'>,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isHealthy(key: string) {
    const indicator = this.indicators.check(key);
    const name = this.config.name;
    const client = this.client;
    if (!client) return indicator.up({ name, census: 'not used' });
    const reached =
      client.lastSuccessAt !== undefined ||
      (name === 'census' && (await this.probe(client)));
    const details = {
      name,
      upstream: 'census',
      reached,
      last_success:
        client.lastSuccessAt !== undefined
          ? new Date(client.lastSuccessAt).toISOString()
          : null,
      quota_remaining: await client.quotaRemaining(),
    };
    if (name === 'census' && !reached)
      return indicator.down({
        ...details,
        note: 'Census has never answered this process and nothing of it is cached: Census-only answers would all be stand-ins',
      });
    return indicator.up(details);
  }

  private async probe(client: CensusClient): Promise<boolean> {
    const now = Date.now();
    if (this.lastProbe && now - this.lastProbe.at < PROBE_INTERVAL_MS)
      return this.lastProbe.ok;
    this.lastProbe = { at: now, ok: this.lastProbe?.ok ?? false };
    const ok = await client.probe();
    this.lastProbe = { at: now, ok };
    return ok;
  }
}
