import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  dataSourceConfig,
  type DataSourceConfig,
} from '../../config/data-source.config';
import { BLS_CLIENT, type BlsClient } from './bls-client';
import { OEWS_PROBE_SERIES } from './bls-series-ids';

/** A process that has never reached BLS tries again at most this often (each try costs one request of the quota). */
const PROBE_INTERVAL_MS = 60_000;

/**
 * Readiness of the data source as far as BLS goes (a terminus indicator). Up without BLS (the synthetic source), and
 * in blended mode, which serves stand-ins when BLS fails. With DATA_SOURCE=bls, down until BLS has answered this
 * process (or its data was found in the cache): it probes, at most once per {@link PROBE_INTERVAL_MS}, for a series
 * whose one OEWS year the API always holds.
 */
@Injectable()
export class BlsHealthIndicator {
  private lastProbe?: { at: number; ok: boolean };

  constructor(
    @Inject(BLS_CLIENT) private readonly client: BlsClient | null,
    @Inject(dataSourceConfig.KEY)
    private readonly config: Pick<DataSourceConfig, 'name'>,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isHealthy(key: string) {
    const indicator = this.indicators.check(key);
    const name = this.config.name;
    const client = this.client;
    if (!client) return indicator.up({ name });
    // Only a BLS-only instance depends on BLS for readiness; only it spends quota on probing.
    const reached =
      client.lastSuccessAt !== undefined ||
      (name === 'bls' && (await this.probe(client)));
    const details = {
      name,
      upstream: 'bls',
      reached,
      last_success:
        client.lastSuccessAt !== undefined
          ? new Date(client.lastSuccessAt).toISOString()
          : null,
      quota_remaining: await client.quotaRemaining(),
    };
    if (name === 'bls' && !reached) {
      return indicator.down({
        ...details,
        note: 'BLS has never answered this process and nothing of it is cached: BLS-only answers would all be stand-ins',
      });
    }
    return indicator.up(details);
  }

  private async probe(client: BlsClient): Promise<boolean> {
    const now = Date.now();
    if (this.lastProbe && now - this.lastProbe.at < PROBE_INTERVAL_MS)
      return this.lastProbe.ok;
    this.lastProbe = { at: now, ok: this.lastProbe?.ok ?? false };
    const ok = await client.probe(OEWS_PROBE_SERIES);
    this.lastProbe = { at: now, ok };
    return ok;
  }
}
