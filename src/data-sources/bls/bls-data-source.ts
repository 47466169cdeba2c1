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
import {
  monthOf,
  monthToIsoDate,
  periodStarts,
  yearOfMonth,
  type Month,
} from '../../domain/months';
import type { DataSource } from '../data-source.interface';
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
    const syntheticNames = query.metrics.filter(
      (m) => findMetric(m)?.source !== 'bls',
    );
    const synthetic = new Map(
      (syntheticNames.length > 0
        ? await this.synthetic.getSeries({ ...query, metrics: syntheticNames })
        : []
      ).map((s) => [s.metricName, s]),
    );
    return Promise.all(
      query.metrics.map(
        async (name) =>
          synthetic.get(name) ??
          this.blsSeries(peers, findMetric(name)!, query),
      ),
    );
  }

  private async blsSeries(
    peers: PeerGroup,
    metric: MetricDefinition,
    query: SeriesQuery,
  ): Promise<BenchmarkSeries> {
    const periods = periodStarts(metric.frequency, query.start, query.end);
    let answer: BlsAnswer | undefined;
    let failure: string | undefined;
    try {
      answer = await this.fromBls(peers, metric, periods);
    } catch (error) {
      if (!(
        error instanceof BlsQuotaExhaustedError ||
        error instanceof BlsUnavailableError
      ))
        throw error;
      failure = this.client.scrub(error.message);
    }

    const missing = periods.filter((m) => !answer?.points.has(m));
    const fill =
      failure !== undefined || (this.name === 'blended' && missing.length > 0);
    const standIns = fill
      ? await this.standIns(peers, metric, query)
      : new Map<Month, BenchmarkPoint>();
    const points = periods
      .map((m) => answer?.points.get(m) ?? (fill ? standIns.get(m) : undefined))
      .filter((p): p is BenchmarkPoint => p !== undefined);

    const warnings = failure
      ? [
          `${metric.name}: ${failure}; synthetic stand-ins are served instead (source "synthetic" on each point)`,
        ]
      : [];
    const metadata: Record<string, unknown> = {
      frequency: metric.frequency,
      statistic: metric.statistic,
      ...(answer?.metadata ?? {}),
      company_size_note: SIZE_NOTE,
    };
    if (!failure && missing.length > 0) {
      metadata.unpublished_periods = missing.map(monthToIsoDate);
      metadata.unpublished_note =
        this.name === 'blended'
          ? 'BLS has not published these periods (it lags a year or more); they are synthetic stand-ins.'
          : 'BLS has not published these periods yet (it lags a year or more).';
    }
    return {
      ...peers,
      metricName: metric.name,
      unit: metric.unit,
      direction: metric.direction,
      frequency: metric.frequency,
      source: seriesSourceOf(points, 'bls'),
      points,
      metadata,
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

  private async fromBls(
    peers: PeerGroup,
    metric: MetricDefinition,
    periods: readonly Month[],
  ): Promise<BlsAnswer> {
    const codes = BLS_INDUSTRY_CODES[peers.industry];
    const firstYear = yearOfMonth(periods[0]);
    const lastYear = yearOfMonth(periods[periods.length - 1]);
    if (metric.name === 'annual_wage_per_employee') {
      return this.oewsWages(codes.oews, peers, firstYear, lastYear);
    }
    return this.qcew(codes.qcew, peers, metric, periods, firstYear, lastYear);
  }

  /** OEWS national all-occupation annual wage percentiles; regional cells get the national figures. */
  private async oewsWages(
    industry6: string,
    peers: PeerGroup,
    firstYear: number,
    lastYear: number,
  ): Promise<BlsAnswer> {
    const ids = OEWS_ANNUAL_WAGE_PERCENTILES.map((dt) =>
      oewsNationalSeriesId(industry6, dt),
    );
    const results = await this.client.fetchSeries(ids, firstYear, lastYear);
    const points = new Map<Month, BenchmarkPoint>();
    const topCoded: number[] = [];
    for (let year = firstYear; year <= lastYear; year++) {
      const values = ids.map((id) => annualValue(results.get(id), year));
      if (values[2] === null) continue; // no median: not published
      const complete = values.every((v) => v !== null);
      if (!complete) topCoded.push(year);
      const [p10, p25, p50, p75, p90] = values as number[];
      points.set(monthOf(year, 1), {
        month: monthOf(year, 1),
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
        bls_series_ids: ids,
        ...(peers.region !== 'national'
          ? {
              region_note:
                'OEWS publishes industry wage percentiles for the nation only: this regional cell shows the national figures.',
            }
          : {}),
        ...(topCoded.length > 0
          ? {
              incomplete_percentiles: topCoded,
              incomplete_note:
                'BLS withheld some percentiles (e.g. top-coded wages); only the median is given.',
            }
          : {}),
        series_status: Object.fromEntries(
          ids.map((id) => [id, results.get(id)?.status ?? 'no_data']),
        ),
      },
    };
  }

  /** QCEW figures for the cell's region: summed over its states (or the nation's own series). */
  private async qcew(
    industry: string,
    peers: PeerGroup,
    metric: MetricDefinition,
    periods: readonly Month[],
    firstYear: number,
    lastYear: number,
  ): Promise<BlsAnswer> {
    const areas = qcewAreas(peers.region);
    const employmentIds = areas.map((a) =>
      qcewSeriesId(a, QCEW_EMPLOYMENT, industry),
    );
    const wageIds = areas.map((a) =>
      qcewSeriesId(a, QCEW_TOTAL_WAGES, industry),
    );
    const fromYear =
      metric.name === 'employment_growth_yoy' ? firstYear - 1 : firstYear;
    const ids =
      metric.name === 'employment_growth_yoy'
        ? employmentIds
        : [...employmentIds, ...wageIds];
    const results = await this.client.fetchSeries(ids, fromYear, lastYear);
    const areaSeries: AreaSeries[] = areas.map((area, i) => ({
      area,
      employment: results.get(employmentIds[i])?.observations ?? [],
      wages: results.get(wageIds[i])?.observations ?? [],
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
        bls_series_ids: ids,
        region_note:
          peers.region === 'national'
            ? 'U.S. total series.'
            : `Sum of ${areas.length} states' wages and employment (not an average of state averages).`,
        ...(excluded.size > 0
          ? {
              excluded_areas: [...excluded],
              excluded_note:
                'These states withheld data (disclosure rules) for some periods and are left out of the sums.',
            }
          : {}),
      },
    };
  }
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
