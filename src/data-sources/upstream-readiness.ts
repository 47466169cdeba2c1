import type { HealthIndicatorService } from '@nestjs/terminus';

type Indicator = ReturnType<HealthIndicatorService['check']>;

/** What readiness reads of an upstream client (BLS, Census). */
export interface ProbedUpstream {
  /** When the upstream last answered usefully; undefined: never in this process. */
  readonly lastSuccessAt?: number;
  quotaRemaining(): Promise<number>;
}

/** A process that has never reached its upstream tries again at most this often (each try costs one request). */
const PROBE_INTERVAL_MS = 60_000;

/**
 * Readiness as far as one upstream goes, shared by the BLS and Census indicators. Up in every mode but the
 * upstream's own (`onlyMode`: blended serves kept answers or stand-ins when it fails); in that mode, down until the
 * upstream has answered this process (or its answers were found in the cache), probing at most once per
 * {@link PROBE_INTERVAL_MS}: only that instance spends quota on probing.
 */
export class UpstreamReadiness {
  private lastProbe?: { at: number; ok: boolean };

  constructor(
    private readonly upstream: {
      readonly key: string;
      readonly label: string;
      readonly onlyMode: string;
    },
    private readonly probe: () => Promise<boolean>,
  ) {}

  async check(indicator: Indicator, name: string, client: ProbedUpstream) {
    const own = name === this.upstream.onlyMode;
    const reached =
      client.lastSuccessAt !== undefined || (own && (await this.probed()));
    const details = {
      name,
      upstream: this.upstream.key,
      reached,
      last_success:
        client.lastSuccessAt !== undefined
          ? new Date(client.lastSuccessAt).toISOString()
          : null,
      quota_remaining: await client.quotaRemaining(),
    };
    if (own && !reached)
      return indicator.down({
        ...details,
        note: `${this.upstream.label} has never answered this process and nothing of it is cached: ${this.upstream.label}-only answers would all be stand-ins`,
      });
    return indicator.up(details);
  }

  private async probed(): Promise<boolean> {
    const now = Date.now();
    if (this.lastProbe && now - this.lastProbe.at < PROBE_INTERVAL_MS)
      return this.lastProbe.ok;
    this.lastProbe = { at: now, ok: this.lastProbe?.ok ?? false };
    const ok = await this.probe();
    this.lastProbe = { at: now, ok };
    return ok;
  }
}
