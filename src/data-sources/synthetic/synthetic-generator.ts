import type {
  BenchmarkPoint,
  BenchmarkSeries,
  PeerGroup,
  Percentiles,
} from '../../domain/benchmark';
import type { MetricDefinition } from '../../domain/catalog';
import { COMPANY_SIZE_EMPLOYEES, type Unit } from '../../domain/enums';
import { UNIT_DECIMALS } from '../../domain/format';
import {
  monthOf,
  monthOfYear,
  monthToIsoDate,
  periodStarts,
  yearOfMonth,
  type Month,
} from '../../domain/months';
import { LEVEL_INDICES, PRICES_INDEX } from './level-index-data';
import { levelFactor, levelIndexNote, type LevelIndex } from './level-indices';
import { streamFor } from './seeded-random';
import { historiesOf, historyFactor } from './synthetic-history';
import {
  BASE_MONTH,
  EFFECTS,
  STAND_IN_PROFILES,
  INDUSTRY_PROFILES,
  MAX_SAMPLE_SIZE,
  MIN_SAMPLE_SIZE,
  REGION_SAMPLE_SHARE,
  SIZE_SAMPLE_SHARE,
  MARGIN_SIZE_SPREAD,
  SIZE_SPREAD,
  type IndustryProfile,
  type MetricProfile,
} from './synthetic-profiles';

/** Bump this when the numbers a seed produces change, so cached copies of old numbers are not mixed in. */
export const GENERATOR_VERSION = 'synthetic-v2';

/** Standard-normal quantiles of the published percentiles. */
const Z = {
  p10: -1.2815515655446004,
  p25: -0.6744897501960817,
  p75: 0.6744897501960817,
  p90: 1.2815515655446004,
};

/** Margin offsets from the median in units of the spread (percentage points): p10 and p25 may go below zero. */
const MARGIN_OFFSETS = { p10: -1.15, p25: -0.5, p75: 0.6, p90: 1.3 };

export { UNIT_DECIMALS };

const MONTHLY_NOISE = 0.01;
const SPREAD_NOISE = 0.04;
const SAMPLE_NOISE = 0.06;

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Seasonal factors rescaled to average exactly 1 over the year, so seasonality never shifts the annual level. */
function normalisedSeason(profile: IndustryProfile): number[] {
  const mean = profile.seasonalFactors.reduce((a, b) => a + b, 0) / 12;
  return profile.seasonalFactors.map((f) => f / mean);
}

const SEASONS: Readonly<Record<string, number[]>> = Object.fromEntries(
  Object.entries(INDUSTRY_PROFILES).map(([key, p]) => [
    key,
    normalisedSeason(p),
  ]),
);

/** Rounds to the unit's precision and nudges any tie upwards so the percentiles stay strictly increasing. */
function publish(raw: number[], unit: Unit): Percentiles {
  const decimals = UNIT_DECIMALS[unit];
  const step = 10 ** -decimals;
  const out = raw.map((v) => roundTo(v, decimals));
  for (let i = 1; i < out.length; i++) {
    if (out[i] <= out[i - 1]) out[i] = roundTo(out[i - 1] + step, decimals);
  }
  return { p10: out[0], p25: out[1], p50: out[2], p75: out[3], p90: out[4] };
}

/** The calibration of a metric for an industry: its own, or the stand-in for a BLS or Census metric. */
function profileOf(
  industry: string,
  metric: string,
): MetricProfile | undefined {
  if (!Object.hasOwn(INDUSTRY_PROFILES, industry)) return undefined;
  const own = INDUSTRY_PROFILES[industry].metrics;
  if (Object.hasOwn(own, metric)) return own[metric];
  const standIns = STAND_IN_PROFILES[industry];
  return standIns && Object.hasOwn(standIns, metric)
    ? standIns[metric]
    : undefined;
}

/**
 * The published series a dollar metric's level follows: consumer prices for a price (wages, acquisition costs), the
 * industry's own index (its sales, or prices with a modelled real growth) for a volume of business.
 */
function levelIndexOf(industry: string, profile: MetricProfile): LevelIndex {
  const prices = profile.prices || profile.effects === 'acquisition_cost';
  return LEVEL_INDICES[
    prices ? PRICES_INDEX : INDUSTRY_PROFILES[industry].levelIndex
  ];
}

/** Where a series' history comes from, in words: its published level index and shocks, or a modelled line. */
function historyNote(
  industry: string,
  metric: string,
  profile: MetricProfile,
): string {
  const shocks = historiesOf(industry, metric).map((h) => h.basis);
  if (profile.grows) {
    const index = levelIndexOf(industry, profile);
    shocks.unshift(
      index.kind === 'sales'
        ? `published: the level follows ${index.title} (${index.id}) month by month (level_index)`
        : `prices published: the level follows ${index.title} (${index.id}), with a modelled real growth (level_index)`,
    );
  }
  return (
    shocks.join('; ') ||
    'modelled: a level without a published history of its own (no published series is used for this metric)'
  );
}

/**
 * The deterministic synthetic benchmark generator. A point depends only on (seed, industry, company size, region,
 * metric, month): its random stream is derived from those keys, never from call order. Pure: no I/O, no clock.
 */
export class SyntheticGenerator {
  constructor(private readonly seed: number) {}

  /** Whether the generator has a calibration for this industry and metric (BLS metrics: a stand-in). */
  supports(industry: string, metric: string): boolean {
    return profileOf(industry, metric) !== undefined;
  }

  /**
   * The noise of an annual measure (a retention rate, apartment occupancy): one draw per year, placed at mid-year,
   * linearly interpolated between them, so the median moves smoothly from month to month instead of by points.
   */
  private yearlyWalk(peers: PeerGroup, metric: string, month: Month): number {
    const draw = (year: number) =>
      streamFor(
        this.seed,
        peers.industry,
        peers.companySize,
        peers.region,
        `${metric}:year`,
        monthOf(year, 7),
      ).normal();
    // Months since the middle of the year before.
    const fromMid = monthOfYear(month) - 7;
    const year = yearOfMonth(month) + (fromMid < 0 ? -1 : 0);
    const f = (fromMid < 0 ? fromMid + 12 : fromMid) / 12;
    return draw(year) * (1 - f) + draw(year + 1) * f;
  }

  /** The cell's median before seasonality, trend and noise: the calibrated base scaled by size and region. */
  private baseMedian(peers: PeerGroup, profile: MetricProfile): number {
    const effect = EFFECTS[profile.effects];
    return (
      profile.median *
      (profile.size ?? effect.size)[peers.companySize] *
      effect.region[peers.region]
    );
  }

  /**
   * The point of a cell and month. `seasonallyAdjusted`: the same draw with the seasonal factor left out (trend,
   * size, region, noise and sample unchanged), which is exactly the deseasonalised benchmark of this model.
   */
  point(
    peers: PeerGroup,
    metric: MetricDefinition,
    month: Month,
    seasonallyAdjusted = false,
  ): BenchmarkPoint {
    const industry = INDUSTRY_PROFILES[peers.industry];
    const profile = profileOf(peers.industry, metric.name)!;
    const random = streamFor(
      this.seed,
      peers.industry,
      peers.companySize,
      peers.region,
      metric.name,
      month,
    );

    const base = this.baseMedian(peers, profile);
    const growth = profile.annualGrowth ?? industry.annualGrowth;
    const trend = profile.grows
      ? levelFactor(levelIndexOf(peers.industry, profile), month, growth)
      : 1;
    const seasonal = seasonallyAdjusted
      ? 1
      : 1 +
        profile.seasonality *
          (SEASONS[peers.industry][monthOfYear(month) - 1] - 1);
    // Drawn for every metric, so that the draws after it stay the same; an annual measure uses a yearly walk instead.
    const monthlyDraw = random.normal();
    const noise = profile.annual
      ? this.yearlyWalk(peers, metric.name, month)
      : monthlyDraw;
    const shock = historiesOf(peers.industry, metric.name).reduce(
      (f, history) => f * historyFactor(history, month),
      1,
    );
    const median =
      base * trend * seasonal * shock * (1 + MONTHLY_NOISE * noise);
    const spread =
      profile.spread *
      (profile.shape === 'margin' ? MARGIN_SIZE_SPREAD : SIZE_SPREAD)[
        peers.companySize
      ] *
      (1 + SPREAD_NOISE * random.normal());

    let raw: number[];
    switch (profile.shape) {
      case 'lognormal':
        raw = [Z.p10, Z.p25, 0, Z.p75, Z.p90].map(
          (z) => median * Math.exp(z * spread),
        );
        break;
      case 'logit': {
        const centre = logit(Math.min(0.98, Math.max(0.02, median)));
        raw = [Z.p10, Z.p25, 0, Z.p75, Z.p90].map((z) =>
          sigmoid(centre + z * spread),
        );
        break;
      }
      case 'margin': {
        // A margin's spread is in percentage points, whatever its median: low-margin industries have more firms
        // below zero than high-margin ones.
        const scale = spread;
        raw = [
          MARGIN_OFFSETS.p10,
          MARGIN_OFFSETS.p25,
          0,
          MARGIN_OFFSETS.p75,
          MARGIN_OFFSETS.p90,
        ].map((k) => Math.min(0.95, Math.max(-0.95, median + k * scale)));
        break;
      }
    }

    const sampleShare = profile.effects === 'acquisition_cost' ? 0.6 : 1;
    // The floor is added, not clamped to, so narrow cells still differ from each other.
    const sampleSize = Math.round(
      MIN_SAMPLE_SIZE +
        industry.sampleBase *
          SIZE_SAMPLE_SHARE[peers.companySize] *
          REGION_SAMPLE_SHARE[peers.region] *
          sampleShare *
          (1 + SAMPLE_NOISE * random.normal()),
    );

    const percentiles = publish(raw, metric.unit);
    if (metric.statistic === 'mean') {
      // A stand-in for a mean-only BLS figure: a mean, like the real one, with no sample behind it.
      return {
        month,
        value: percentiles.p50,
        percentiles: null,
        sampleSize: null,
        source: 'synthetic',
      };
    }
    return {
      month,
      value: percentiles.p50,
      percentiles,
      sampleSize: Math.min(
        MAX_SAMPLE_SIZE,
        Math.max(MIN_SAMPLE_SIZE, sampleSize),
      ),
      source: 'synthetic',
    };
  }

  series(
    peers: PeerGroup,
    metric: MetricDefinition,
    start: Month,
    end: Month,
    seasonallyAdjusted = false,
  ): BenchmarkSeries {
    const industry = INDUSTRY_PROFILES[peers.industry];
    const profile = profileOf(peers.industry, metric.name)!;
    const effect = EFFECTS[profile.effects];
    return {
      ...peers,
      metricName: metric.name,
      unit: metric.unit,
      direction: metric.direction,
      frequency: metric.frequency,
      source: 'synthetic',
      points: periodStarts(metric.frequency, start, end).map((month) =>
        this.point(peers, metric, month, seasonallyAdjusted),
      ),
      metadata: {
        frequency: metric.frequency,
        statistic: metric.statistic,
        generator: GENERATOR_VERSION,
        seed: this.seed,
        base_month: monthToIsoDate(BASE_MONTH),
        base_median: roundTo(
          this.baseMedian(peers, profile),
          UNIT_DECIMALS[metric.unit],
        ),
        annual_growth_rate: profile.grows
          ? (profile.annualGrowth ?? industry.annualGrowth)
          : 0,
        seasonality:
          profile.seasonality !== 0 ? industry.seasonalityName : 'none',
        seasonal_strength: profile.seasonality,
        company_size_factor: (profile.size ?? effect.size)[peers.companySize],
        company_size_employees: `${COMPANY_SIZE_EMPLOYEES[peers.companySize].min}-${COMPANY_SIZE_EMPLOYEES[peers.companySize].max}`,
        region_factor: effect.region[peers.region],
        note: 'Synthetic: modelled from published industry magnitudes, not observations of real businesses.',
        ...(profile.grows
          ? {
              level_index: levelIndexNote(
                levelIndexOf(peers.industry, profile),
                profile.annualGrowth ?? industry.annualGrowth,
              ),
            }
          : {}),
        history: historyNote(peers.industry, metric.name, profile),
        ...(metric.illustrative
          ? { illustrative: true, illustrative_note: metric.illustrative }
          : {}),
        ...(seasonallyAdjusted
          ? {
              seasonally_adjusted: true,
              seasonal_adjustment_note:
                "The generator's own seasonal factor is left out of every point: the same draw without the season.",
            }
          : {}),
      },
      warnings: [],
    };
  }
}
