import { Logger, type OnModuleInit } from '@nestjs/common';
import type {
  BenchmarkPoint,
  BenchmarkSeries,
  PeerGroup,
  SeriesQuery,
} from '../../domain/benchmark';
import { seriesSourceOf } from '../../domain/benchmark';
import {
  BLS_METRIC_NAMES,
  findMetric,
  type IndustryDefinition,
  type MetricDefinition,
} from '../../domain/catalog';
import { periodStarts, yearOfMonth, type Month } from '../../domain/months';
import type { DataSource, UpstreamStatus } from '../data-source.interface';
import type { SyntheticDataSource } from '../synthetic/synthetic-data-source';
import {
  BlsQuotaExhaustedError,
  BlsUnavailableError,
  type BlsClient,
} from './bls-client';
import type { BlsObservation, BlsSeriesResult } from './bls-response';
import {
  BLS_INDUSTRY_CODES,
  OEWS_ANNUAL_WAGE_PERCENTILES,
  QCEW_EMPLOYMENT,
  QCEW_TOTAL_WAGES,
  oewsNationalSeriesId,
  qcewAreas,
  qcewSeriesId,
} from './bls-series-ids';
import {
  annualPay,
  employmentGrowth,
  weeklyWage,
  type Aggregate,
  type AreaSeries,
} from './qcew-aggregation';

/** What BLS gave for one metric of one cell: points by period start, and the facts for the series metadata. */
interface BlsAnswer {
  readonly points: Map<Month, BenchmarkPoint>;
  readonly metadata: Record<string, unknown>;
}

const SIZE_NOTE =
  'BLS publishes no company-size classes: every company size gets the figures for the whole industry.';

const round = (value: number, decimals: number) =>
  Math.round(value * 10 ** decimals) / 10 ** decimals;

/**
 * {@link DataSource} backed by the BLS Public Data API v2, in two modes:
 * - `bls`: the BLS metrics only (`annual_wage_per_employee` from OEWS percentiles; `average_annual_pay`,
 *   `average_weekly_wage` and `employment_growth_yoy` from QCEW, summed over a region's states), at BLS's own
 *   frequency. Periods BLS has not published are left out.
 * - `blended`: every metric of the industry: the synthetic ones from the generator, the BLS ones from BLS, with
 *   periods BLS has not published yet filled by synthetic points (each labelled `synthetic`).
 * In both modes, when BLS cannot answer (down, out of quota) the BLS metrics are served as synthetic stand-ins,
 * labelled `synthetic`, with a warning on the series: never silently.
 */
export class BlsDataSource implements DataSource, OnModuleInit {
  readonly fingerprint: string;
  private readonly logger = new Logger('BlsDataSource');

  constructor(
    readonly name: 'bls' | 'blended',
    private readonly client: BlsClient,
    private readonly synthetic: SyntheticDataSource,
  ) {
    this.fingerprint = `${name}-v1.${synthetic.fingerprint}`;
  }

  onModuleInit(): void {
    if (this.client.unregistered) {
      this.logger.warn(
        'BLS_API_KEY is not set: running unregistered (25 requests a day, 25 series and 10 years per request). Register at https://data.bls.gov/registrationEngine/',
      );
    }
  }

  private lastProbe?: { at: number; ok: boolean };

  upstream(): UpstreamStatus {
    const client = this.client;
    return {
      name: 'bls',
      calls: client.counts.calls,
      failures: client.counts.failures,
      lastSuccessAt: client.lastSuccessAt,
      quotaRemaining: () => client.quotaRemaining(),
      probe: (minIntervalMs) => this.probe(minIntervalMs),
    };
  }

  /** One small BLS request (the national all-industry median wage), at most once per interval. */
  private async probe(minIntervalMs: number): Promise<boolean> {
    const now = Date.now();
    if (this.lastProbe && now - this.lastProbe.at < minIntervalMs)
      return this.lastProbe.ok;
    this.lastProbe = { at: now, ok: this.lastProbe?.ok ?? false };
    const ok = await this.client.probe(
      oewsNationalSeriesId('000000', '13'),
      new Date().getUTCFullYear() - 2,
    );
    this.lastProbe = { at: now, ok };
    return ok;
  }

  metricNames(industry: IndustryDefinition): readonly string[] {
    return this.name === 'bls'
      ? BLS_METRIC_NAMES
      : [...industry.metrics, ...BLS_METRIC_NAMES];
  }

  async getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    const peers: PeerGroup = {
      industry: query.industry,
      companySize: query.companySize,
      region: query.region,
    };
    const blsMetrics = query.metrics
      .map((m) => findMetric(m)!)
      .filter((m) => m.source === 'bls');
    const syntheticNames = query.metrics.filter(
      (m) => findMetric(m)?.source !== 'bls',
    );
    const [synthetic, fromBls] = await Promise.all([
      syntheticNames.length > 0
        ? this.synthetic.getSeries({ ...query, metrics: syntheticNames })
        : [],
      blsMetrics.length > 0 ? this.blsSeries(peers, blsMetrics, query) : [],
    ]);
    const byName = new Map(
      [...synthetic, ...fromBls].map((s) => [s.metricName, s]),
    );
    return query.metrics.map((name) => byName.get(name)!);
  }

  /** Every BLS metric of the request from one BLS call (the client chunks it), or stand-ins when BLS fails. */
  private async blsSeries(
    peers: PeerGroup,
    metrics: readonly MetricDefinition[],
    query: SeriesQuery,
  ): Promise<BenchmarkSeries[]> {
    const plan = seriesPlan(peers, metrics);
    const fromYear =
      yearOfMonth(query.start) -
      (metrics.some((m) => m.name === 'employment_growth_yoy') ? 1 : 0);
    let results: Map<string, BlsSeriesResult> | undefined;
    let failure: string | undefined;
    try {
      results = await this.client.fetchSeries(
        plan.allIds,
        fromYear,
        yearOfMonth(query.end),
      );
    } catch (error) {
      if (!(
        error instanceof BlsQuotaExhaustedError ||
        error instanceof BlsUnavailableError
      ))
        throw error;
      failure = this.client.scrub(error.message);
    }
    return Promise.all(
      metrics.map((metric) =>
        this.assemble(peers, metric, query, plan, results, failure),
      ),
    );
  }

  private async assemble(
    peers: PeerGroup,
    metric: MetricDefinition,
    query: SeriesQuery,
    plan: SeriesPlan,
    results: Map<string, BlsSeriesResult> | undefined,
    failure: string | undefined,
  ): Promise<BenchmarkSeries> {
    const periods = periodStarts(metric.frequency, query.start, query.end);
    const ids = plan.idsFor(metric);
    const warnings: string[] = [];
    let answer: BlsAnswer | undefined;
    if (failure !== undefined) {
      warnings.push(
        `${metric.name}: ${failure}; synthetic stand-ins are served instead (source "synthetic" on each point)`,
      );
    } else {
      const unserved = ids.filter((id) =>
        ['not_found', 'invalid'].includes(
          results!.get(id)?.status ?? 'no_data',
        ),
      );
      if (unserved.length > 0) {
        // Not a lag: BLS says these series do not exist. Said loudly, and never cached as a normal answer.
        warnings.push(
          `${metric.name}: BLS does not publish ${unserved.length} of the ${ids.length} series it needs (${unserved
            .slice(0, 3)
            .join(
              ', ',
            )}${unserved.length > 3 ? ', ...' : ''}); synthetic stand-ins fill the periods BLS cannot serve`,
        );
      }
      answer =
        metric.name === 'annual_wage_per_employee'
          ? this.oewsWages(ids, peers, periods, results!)
          : this.qcew(plan, peers, metric, periods, results!);
    }

    const missing = periods.filter((m) => !answer?.points.has(m));
    const fill =
      missing.length > 0 && (warnings.length > 0 || this.name === 'blended');
    const standIns = fill
      ? await this.standIns(peers, metric, query)
      : new Map<Month, BenchmarkPoint>();
    const points = periods
      .map((m) => answer?.points.get(m) ?? (fill ? standIns.get(m) : undefined))
      .filter((p): p is BenchmarkPoint => p !== undefined);
    return {
      ...peers,
      metricName: metric.name,
      unit: metric.unit,
      direction: metric.direction,
      frequency: metric.frequency,
      source: seriesSourceOf(points, 'bls'),
      points,
      metadata: {
        frequency: metric.frequency,
        statistic: metric.statistic,
        ...(answer?.metadata ?? {}),
        bls_series_ids: ids,
        company_size_note: SIZE_NOTE,
        unpublished_note:
          this.name === 'blended'
            ? 'Periods BLS has not published (it lags a year or more) or cannot serve are synthetic stand-ins: each point says its source.'
            : 'Periods BLS has not published yet (it lags a year or more) are left out.',
        ...(query.seasonallyAdjusted ? seasonalAdjustment(metric) : {}),
      },
      warnings,
    };
  }

  /** Synthetic stand-ins for a BLS metric over the query's range, by period start. */
  private async standIns(
    peers: PeerGroup,
    metric: MetricDefinition,
    query: SeriesQuery,
  ): Promise<Map<Month, BenchmarkPoint>> {
    const [series] = await this.synthetic.getSeries({
      ...query,
      ...peers,
      metrics: [metric.name],
    });
    return new Map(series.points.map((p) => [p.month, p]));
  }

  /** OEWS national all-occupation annual wage percentiles; regional cells get the national figures. */
  private oewsWages(
    ids: readonly string[],
    peers: PeerGroup,
    periods: readonly Month[],
    results: Map<string, BlsSeriesResult>,
  ): BlsAnswer {
    const points = new Map<Month, BenchmarkPoint>();
    let withheld = false;
    for (const month of periods) {
      const year = yearOfMonth(month);
      const values = ids.map((id) => annualValue(results.get(id), year));
      if (values[2] === null) continue; // no median: not published
      const complete = values.every((v) => v !== null);
      withheld ||= !complete;
      const [p10, p25, p50, p75, p90] = values as number[];
      points.set(month, {
        month,
        value: values[2],
        percentiles: complete ? { p10, p25, p50, p75, p90 } : null,
        sampleSize: null,
        source: 'bls',
      });
    }
    return {
      points,
      metadata: {
        bls_program:
          'OEWS (Occupational Employment and Wage Statistics), all occupations',
        ...(peers.region !== 'national'
          ? {
              region_note:
                'OEWS publishes industry wage percentiles for the nation only: this regional cell shows the national figures.',
            }
          : {}),
        ...(withheld
          ? {
              withheld_note:
                'BLS withheld some percentiles (e.g. top-coded wages) in some years; those points give only the median.',
            }
          : {}),
      },
    };
  }

  /** QCEW figures for the cell's region: summed over its states (or the nation's own series). */
  private qcew(
    plan: SeriesPlan,
    peers: PeerGroup,
    metric: MetricDefinition,
    periods: readonly Month[],
    results: Map<string, BlsSeriesResult>,
  ): BlsAnswer {
    const areaSeries: AreaSeries[] = plan.areas.map((area, i) => ({
      area,
      employment: results.get(plan.employmentIds[i])?.observations ?? [],
      wages: results.get(plan.wageIds[i])?.observations ?? [],
    }));
    const points = new Map<Month, BenchmarkPoint>();
    const excluded = new Set<string>();
    for (const month of periods) {
      const year = yearOfMonth(month);
      let aggregate: Aggregate | undefined;
      let decimals = 2;
      if (metric.name === 'average_annual_pay')
        aggregate = annualPay(areaSeries, year);
      else if (metric.name === 'average_weekly_wage')
        aggregate = weeklyWage(
          areaSeries,
          year,
          Math.floor((month % 12) / 3) + 1,
        );
      else {
        aggregate = employmentGrowth(areaSeries, year);
        decimals = 4;
      }
      // No area with data: BLS has not published the period. Areas missing from a published period withheld
      // their data (disclosure rules): the sum leaves them out and the metadata names them.
      if (!aggregate) continue;
      aggregate.excluded.forEach((a) => excluded.add(a));
      points.set(month, {
        month,
        value: round(aggregate.value, decimals),
        percentiles: null,
        sampleSize: null,
        source: 'bls',
      });
    }
    return {
      points,
      metadata: {
        bls_program:
          'QCEW (Quarterly Census of Employment and Wages), private ownership, all establishment sizes',
        region_note:
          peers.region === 'national'
            ? 'U.S. total series.'
            : `Sum of ${plan.areas.length} states' wages and employment (not an average of state averages).`,
        ...(excluded.size > 0
          ? {
              excluded_areas: [...excluded],
              excluded_note:
                'These states withheld data (disclosure rules) in some periods and are left out of those sums.',
            }
          : {}),
      },
    };
  }
}

/**
 * What the BLS source can say when asked for deseasonalised figures: annual figures have no season to remove; QCEW's
 * quarterly wages are published unadjusted and this source does not adjust them.
 */
function seasonalAdjustment(metric: MetricDefinition): Record<string, unknown> {
  return metric.frequency === 'annual'
    ? {
        seasonally_adjusted: true,
        seasonal_adjustment_note:
          'An annual figure has no seasonal component: it is compared as published.',
      }
    : {
        seasonally_adjusted: false,
        seasonal_adjustment_note:
          'BLS publishes these QCEW quarterly figures without seasonal adjustment, and this service cannot adjust them: the unadjusted quarter is used.',
      };
}

/** The BLS series a request needs, by metric. */
interface SeriesPlan {
  readonly areas: readonly string[];
  readonly employmentIds: readonly string[];
  readonly wageIds: readonly string[];
  readonly allIds: readonly string[];
  idsFor(metric: MetricDefinition): readonly string[];
}

function seriesPlan(
  peers: PeerGroup,
  metrics: readonly MetricDefinition[],
): SeriesPlan {
  const codes = BLS_INDUSTRY_CODES[peers.industry];
  const areas = qcewAreas(peers.region);
  const oewsIds = OEWS_ANNUAL_WAGE_PERCENTILES.map((dt) =>
    oewsNationalSeriesId(codes.oews, dt),
  );
  const employmentIds = areas.map((a) =>
    qcewSeriesId(a, QCEW_EMPLOYMENT, codes.qcew),
  );
  const wageIds = areas.map((a) =>
    qcewSeriesId(a, QCEW_TOTAL_WAGES, codes.qcew),
  );
  const idsFor = (metric: MetricDefinition): readonly string[] => {
    if (metric.name === 'annual_wage_per_employee') return oewsIds;
    if (metric.name === 'employment_growth_yoy') return employmentIds;
    return [...employmentIds, ...wageIds];
  };
  return {
    areas,
    employmentIds,
    wageIds,
    allIds: [...new Set(metrics.flatMap(idsFor))],
    idsFor,
  };
}

/** The annual (`A01`) value of a series in a year, or null. */
function annualValue(
  result: BlsSeriesResult | undefined,
  year: number,
): number | null {
  const observation: BlsObservation | undefined = result?.observations.find(
    (o) => o.year === year && o.period === 'A01',
  );
  return observation?.value ?? null;
}
