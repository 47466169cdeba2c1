import { Logger, type OnModuleInit } from '@nestjs/common';
import type {
  BenchmarkPoint,
  BenchmarkSeries,
  PeerGroup,
  SeriesQuery,
  YearNote,
} from '../../domain/benchmark';
import { seriesSourceOf } from '../../domain/benchmark';
import {
  BLS_METRIC_NAMES,
  type IndustryDefinition,
  type MetricDefinition,
} from '../../domain/catalog';
import { periodStarts, yearOfMonth, type Month } from '../../domain/months';
import type { DataSource } from '../data-source.interface';
import { ownAndSynthetic } from '../own-metrics';
import type { SyntheticDataSource } from '../synthetic/synthetic-data-source';
import { describeStaleness, type UpstreamResults } from '../stale-if-error';
import { isBlsFailure, type BlsClient } from './bls-client';
import type { BlsObservation, BlsSeriesResult } from './bls-response';
import {
  BLS_INDUSTRIES,
  QCEW_EMPLOYMENT,
  QCEW_TOTAL_WAGES,
  oewsWageSeriesIds,
  qcewCell,
  qcewSeriesId,
  type QcewCell,
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
  /** Stable warnings about single years of the query (see BenchmarkSeries.yearNotes). */
  readonly yearNotes?: readonly YearNote[];
}

/** What the BLS calls of one request gave: results by series ID, or why BLS could not be used. */
interface Fetched {
  /** Set `stale` when BLS failed and answers kept from before are served. */
  readonly results?: UpstreamResults<BlsSeriesResult>;
  readonly failure?: string;
}

const SIZE_NOTE =
  'BLS publishes no company-size classes: every company size gets the figures for the whole industry.';
const OEWS_METRIC = 'annual_wage_per_employee';

const round = (value: number, decimals: number) =>
  Math.round(value * 10 ** decimals) / 10 ** decimals;

/** Every industry's OEWS wage series: one request discovers the latest year for all of them (50 series). */
const ALL_OEWS_IDS: readonly string[] = Object.keys(BLS_INDUSTRIES).flatMap(
  (industry) => oewsWageSeriesIds(industry),
);

/**
 * {@link DataSource} backed by the BLS Public Data API v2, in two modes:
 * - `bls`: the BLS metrics only (`annual_wage_per_employee` from OEWS percentiles; `average_annual_pay`,
 *   `average_weekly_wage` and `employment_growth_yoy` from QCEW, summed over a region's states), at BLS's own
 *   frequency. Periods BLS does not serve are left out.
 * - `blended`: every metric of the industry: the synthetic ones from the generator, the BLS ones from BLS, with
 *   periods BLS does not serve filled by synthetic points (each labelled `synthetic`).
 * OEWS is served for the one year the API holds (its latest May estimates, read from BLS's answer); a query for an
 * earlier year gets a year note saying so. In both modes, when BLS cannot answer (down, out of quota) the BLS
 * metrics are served from BLS's last answers where they are kept (STALE_IF_ERROR_SECONDS), with a warning saying how
 * old they are, else as synthetic stand-ins, labelled `synthetic`, with a warning on the series: never silently.
 */
export class BlsDataSource implements DataSource, OnModuleInit {
  readonly fingerprint: string;
  private readonly logger = new Logger('BlsDataSource');

  constructor(
    readonly name: 'bls' | 'blended',
    private readonly client: BlsClient,
    private readonly synthetic: SyntheticDataSource,
  ) {
    this.fingerprint = `${name}-v2.${synthetic.fingerprint}`;
  }

  onModuleInit(): void {
    if (this.client.unregistered) {
      this.logger.warn(
        'BLS_API_KEY is not set: running unregistered (25 requests a day, 25 series and 10 years per request). Register at https://data.bls.gov/registrationEngine/',
      );
    }
  }

  metricNames(industry: IndustryDefinition): readonly string[] {
    return this.name === 'bls'
      ? BLS_METRIC_NAMES
      : [...industry.metrics, ...BLS_METRIC_NAMES];
  }

  getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    return ownAndSynthetic(query, 'bls', this.synthetic, (peers, metrics) =>
      this.blsSeries(peers, metrics, query),
    );
  }

  /** Every BLS metric of the request: OEWS and QCEW each from one client call (chunked), or stand-ins on failure. */
  private async blsSeries(
    peers: PeerGroup,
    metrics: readonly MetricDefinition[],
    query: SeriesQuery,
  ): Promise<BenchmarkSeries[]> {
    const plan = seriesPlan(peers, metrics);
    const wantsOews = metrics.some((m) => m.name === OEWS_METRIC);
    const fromYear =
      yearOfMonth(query.start) -
      (metrics.some((m) => m.name === 'employment_growth_yoy') ? 1 : 0);
    const [oews, qcew] = await Promise.all([
      wantsOews ? this.call(() => this.client.fetchLatest(ALL_OEWS_IDS)) : {},
      plan.qcewIds.length > 0
        ? this.call(() =>
            this.client.fetchSeries(
              plan.qcewIds,
              fromYear,
              yearOfMonth(query.end),
            ),
          )
        : {},
    ]);
    return Promise.all(
      metrics.map((metric) =>
        this.assemble(
          peers,
          metric,
          query,
          plan,
          metric.name === OEWS_METRIC ? oews : qcew,
        ),
      ),
    );
  }

  /** A client call whose BLS failures become a reason to serve stand-ins; other errors are bugs and propagate. */
  private async call(
    fetch: () => Promise<UpstreamResults<BlsSeriesResult>>,
  ): Promise<Fetched> {
    try {
      return { results: await fetch() };
    } catch (error) {
      if (!isBlsFailure(error)) throw error;
      return { failure: this.client.scrub((error as Error).message) };
    }
  }

  private async assemble(
    peers: PeerGroup,
    metric: MetricDefinition,
    query: SeriesQuery,
    plan: SeriesPlan,
    fetched: Fetched,
  ): Promise<BenchmarkSeries> {
    const periods = periodStarts(metric.frequency, query.start, query.end);
    const ids = plan.idsFor(metric);
    const warnings: string[] = [];
    let answer: BlsAnswer | undefined;
    const results = fetched.results;
    if (!results) {
      warnings.push(
        `${metric.name}: ${fetched.failure}; synthetic stand-ins are served instead (source "synthetic" on each point)`,
      );
    }
    let unserved: string[] = [];
    if (results) {
      // BLS failed, and what it answered before is served: real numbers, said to be old and why.
      if (results.stale)
        warnings.push(
          `${metric.name}: ${describeStaleness('BLS', results.stale)}`,
        );
      unserved = ids.filter((id) =>
        ['not_found', 'invalid'].includes(results.get(id)?.status ?? 'no_data'),
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
        metric.name === OEWS_METRIC
          ? this.oewsWages(ids, peers, periods, results, warnings)
          : this.qcew(plan, peers, metric, periods, results);
    }

    const missing = periods.filter((m) => !answer?.points.has(m));
    // Stand-ins fill the gaps when BLS failed with nothing kept, or does not publish a series it needs, and always in
    // blended mode; kept answers served for a failure are real, and leave the gaps of what BLS has not published.
    const fill =
      missing.length > 0 &&
      (!results || unserved.length > 0 || this.name === 'blended');
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
        unpublished_note: this.unpublishedNote(metric),
        ...(query.seasonallyAdjusted ? seasonalAdjustment(metric) : {}),
      },
      warnings,
      ...(answer?.yearNotes?.length ? { yearNotes: answer.yearNotes } : {}),
    };
  }

  /** What happens to the periods BLS does not serve, and why they are missing. */
  private unpublishedNote(metric: MetricDefinition): string {
    const fate =
      this.name === 'blended'
        ? 'they are synthetic stand-ins (each point says its source)'
        : 'they are left out';
    return metric.name === OEWS_METRIC
      ? `The BLS API holds one OEWS year, its latest May estimates (oews_year): later years are not published yet and earlier ones are no longer served by it; ${fate}.`
      : `QCEW quarters are published about six months after they end, and a year's annual figures once its fourth quarter is: periods BLS has not published yet, or cannot serve, are missing from BLS; ${fate}.`;
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

  /**
   * OEWS national all-occupation annual wage percentiles of the one year the API holds; regional cells get the
   * national figures. Years of the query before it get a year note: the API no longer holds them.
   */
  private oewsWages(
    ids: readonly string[],
    peers: PeerGroup,
    periods: readonly Month[],
    results: Map<string, BlsSeriesResult>,
    warnings: string[],
  ): BlsAnswer {
    const points = new Map<Month, BenchmarkPoint>();
    const mapping = BLS_INDUSTRIES[peers.industry];
    const median = results.get(ids[2]);
    const year = median?.observations[0]?.year;
    const metadata: Record<string, unknown> = {
      bls_program:
        'OEWS (Occupational Employment and Wage Statistics), all occupations, national',
      oews_industry: mapping.oews,
      ...(mapping.oewsOwnership ? { ownership: mapping.oewsOwnership } : {}),
      ...(mapping.scopeNote ? { scope_note: mapping.scopeNote } : {}),
      ...(peers.region !== 'national'
        ? {
            region_note:
              'OEWS publishes industry wage percentiles for the nation only: this regional cell shows the national figures.',
          }
        : {}),
    };
    if (year === undefined) {
      if (median?.status === 'no_data')
        warnings.push(
          `${OEWS_METRIC}: BLS answered with no OEWS year for ${ids[2]} (the API holds one, its latest May estimates); synthetic stand-ins fill the periods BLS cannot serve`,
        );
      return { points, metadata };
    }
    metadata.oews_year = year;
    const values = ids.map((id) => annualValue(results.get(id), year));
    const fate =
      this.name === 'blended'
        ? 'synthetic stand-ins are served for them (source "synthetic" on each point)'
        : 'they are left out';
    const note = `${OEWS_METRIC}: the BLS API serves only its latest OEWS year, ${year} (May ${year} estimates); it no longer holds earlier years (BLS's downloadable OEWS tables do), so ${fate}`;
    const yearNotes: YearNote[] = [...new Set(periods.map(yearOfMonth))]
      .filter((y) => y < year)
      .map((y) => ({ year: y, text: note }));
    const month = periods.find((m) => yearOfMonth(m) === year);
    if (month !== undefined && values[2] === null) {
      yearNotes.push({
        year,
        text: `${OEWS_METRIC}: BLS withheld the median of its OEWS year ${year} (a value it does not publish, such as a top-coded wage), so this year has no BLS figure`,
      });
    } else if (month !== undefined) {
      const complete = values.every((v) => v !== null);
      const [p10, p25, p50, p75, p90] = values as number[];
      points.set(month, {
        month,
        value: p50,
        percentiles: complete ? { p10, p25, p50, p75, p90 } : null,
        sampleSize: null,
        source: 'bls',
      });
      if (!complete)
        metadata.withheld_note =
          'BLS withheld some percentiles of this year (e.g. wages at or above its top code): the point gives only the median.';
    }
    return { points, metadata, yearNotes };
  }

  /** QCEW figures for the cell's region: summed over its states (or the nation's own series). */
  private qcew(
    plan: SeriesPlan,
    peers: PeerGroup,
    metric: MetricDefinition,
    periods: readonly Month[],
    results: Map<string, BlsSeriesResult>,
  ): BlsAnswer {
    const { cell } = plan;
    const areaSeries: AreaSeries[] = cell.areas.map((area, i) => ({
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
    const mapping = BLS_INDUSTRIES[peers.industry];
    return {
      points,
      metadata: {
        bls_program:
          'QCEW (Quarterly Census of Employment and Wages), private ownership, all establishment sizes',
        qcew_industry: cell.industry,
        ownership: 'private employers only',
        ...(mapping.scopeNote ? { scope_note: mapping.scopeNote } : {}),
        region_note: cell.substituteNote
          ? cell.substituteNote
          : peers.region === 'national'
            ? 'U.S. total series.'
            : `Sum of ${cell.areas.length} states' wages and employment (not an average of state averages).`,
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
  readonly cell: QcewCell;
  readonly employmentIds: readonly string[];
  readonly wageIds: readonly string[];
  /** The QCEW series of the request's QCEW metrics (none when it asks only for OEWS). */
  readonly qcewIds: readonly string[];
  idsFor(metric: MetricDefinition): readonly string[];
}

function seriesPlan(
  peers: PeerGroup,
  metrics: readonly MetricDefinition[],
): SeriesPlan {
  const cell = qcewCell(peers.industry, peers.region);
  const oewsIds = oewsWageSeriesIds(peers.industry);
  const employmentIds = cell.areas.map((a) =>
    qcewSeriesId(a, QCEW_EMPLOYMENT, cell.industry.code),
  );
  const wageIds = cell.areas.map((a) =>
    qcewSeriesId(a, QCEW_TOTAL_WAGES, cell.industry.code),
  );
  const idsFor = (metric: MetricDefinition): readonly string[] => {
    if (metric.name === OEWS_METRIC) return oewsIds;
    if (metric.name === 'employment_growth_yoy') return employmentIds;
    return [...employmentIds, ...wageIds];
  };
  return {
    cell,
    employmentIds,
    wageIds,
    qcewIds: [
      ...new Set(metrics.filter((m) => m.name !== OEWS_METRIC).flatMap(idsFor)),
    ],
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
