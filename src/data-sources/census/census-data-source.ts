import type {
  BenchmarkPoint,
  BenchmarkSeries,
  PeerGroup,
  SeriesQuery,
  YearNote,
} from '../../domain/benchmark';
import { seriesSourceOf } from '../../domain/benchmark';
import {
  CENSUS_METRIC_NAMES,
  type IndustryDefinition,
  type MetricDefinition,
} from '../../domain/catalog';
import { COMPANY_SIZE_EMPLOYEES } from '../../domain/enums';
import { roundToUnit } from '../../domain/format';
import {
  monthOf,
  periodStarts,
  yearOfMonth,
  type Month,
} from '../../domain/months';
import { fallbackChain, type PeerLevel } from '../../domain/peer-fallback';
import { REGION_STATES } from '../../domain/us-states';
import type { DataSource } from '../data-source.interface';
import { ownAndSynthetic } from '../own-metrics';
import { describeStaleness, type UpstreamResults } from '../stale-if-error';
import type { SyntheticDataSource } from '../synthetic/synthetic-data-source';
import { cellFigure, isFigure, type CensusFormula } from './census-aggregation';
import {
  censusAnswerKey,
  isCensusFailure,
  type CensusAnswer,
  type CensusClient,
} from './census-client';
import {
  CENSUS_FIRST_YEAR,
  CENSUS_GEOS,
  CENSUS_NAICS,
  DATASETS,
  inBand,
  type CensusDataset,
  type DatasetRequest,
} from './census-datasets';

/** How each Census metric is computed: from which dataset, which figures divided. */
export const CENSUS_FORMULAS: Readonly<
  Record<
    string,
    { readonly dataset: CensusDataset; readonly formula: CensusFormula }
  >
> = {
  receipts_per_employee: {
    dataset: 'abscs',
    formula: { numerator: 'receipts', denominator: 'employees', scale: 1000 },
  },
  payroll_per_employee: {
    dataset: 'cbp',
    formula: { numerator: 'payroll', denominator: 'employees', scale: 1000 },
  },
  payroll_to_receipts: {
    dataset: 'abscs',
    formula: { numerator: 'payroll', denominator: 'receipts', scale: 1 },
  },
};

export const CENSUS_ATTRIBUTION =
  'This product uses the Census Bureau Data API but is not endorsed or certified by the Census Bureau.';

const SIZE_BASIS: Readonly<Record<CensusDataset, string>> = {
  abscs:
    'Firm size: the employees of the whole firm (ABS EMPSZFI classes). Firms with no employees in mid-March are left out: their payroll and receipts without employees would inflate the ratios.',
  cbp: "Establishment size: the employees of each establishment, not of its firm (CBP EMPSZES classes), so a small branch of a large chain counts as small. The smallest class (under 5 employees) includes establishments with no employee in mid-March, which lifts that class's payroll per employee a little.",
};

const EMPLOYEES_NOTE =
  'Employees are the count for the pay period including March 12, not full-time equivalents, while payroll and receipts cover the whole year: seasonal industries show higher figures per employee.';

/** What the Census calls of one request gave: answers by key, or why Census could not be used. */
interface Fetched {
  readonly answers?: UpstreamResults<CensusAnswer>;
  readonly failure?: string;
}

/** The answers of one dataset-year, and the NAICS code they are for. */
interface YearAnswers {
  readonly state: CensusAnswer;
  readonly us: CensusAnswer;
  readonly naics: string;
}

/**
 * {@link DataSource} backed by the Census Data API, in two modes:
 * - `census`: the Census metrics only (`receipts_per_employee` and `payroll_to_receipts` from the Annual Business
 *   Survey, `payroll_per_employee` from County Business Patterns), annual means by company size (in employees) and
 *   region. Years Census has not published are left out.
 * - `blended` (as a part of the blended source): the same, with the years Census does not serve filled by synthetic
 *   stand-ins, each labelled `synthetic`.
 * A cell Census withholds (or publishes under 80% of) falls back to the same size nationally, then every size
 * nationally; the point says so in its peer group. When Census cannot answer, its answers kept from before are
 * served with a warning saying how old they are, else synthetic stand-ins with a warning: never silently.
 */
export class CensusDataSource implements DataSource {
  readonly fingerprint: string;

  constructor(
    readonly name: 'census' | 'blended',
    private readonly client: CensusClient,
    private readonly synthetic: SyntheticDataSource,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.fingerprint = `${name === 'census' ? 'census' : 'census-blended'}-v1.${synthetic.fingerprint}`;
  }

  metricNames(industry: IndustryDefinition): readonly string[] {
    return this.name === 'census'
      ? CENSUS_METRIC_NAMES
      : [...industry.metrics, ...CENSUS_METRIC_NAMES];
  }

  getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    return ownAndSynthetic(query, 'census', this.synthetic, (peers, metrics) =>
      this.censusSeries(peers, metrics, query),
    );
  }

  /** The years Census may have: from its first served year to last year (a year is published two years later). */
  private years(query: SeriesQuery): number[] {
    const first = Math.max(CENSUS_FIRST_YEAR, yearOfMonth(query.start));
    const last = Math.min(
      yearOfMonth(query.end),
      this.now().getUTCFullYear() - 1,
    );
    const years: number[] = [];
    for (let y = first; y <= last; y++) years.push(y);
    return years;
  }

  private async censusSeries(
    peers: PeerGroup,
    metrics: readonly MetricDefinition[],
    query: SeriesQuery,
  ): Promise<BenchmarkSeries[]> {
    const years = this.years(query);
    const datasets = [
      ...new Set(metrics.map((m) => CENSUS_FORMULAS[m.name].dataset)),
    ];
    const { fetched, byYear, failedYears } = await this.fetchYears(
      peers.industry,
      datasets,
      years,
    );
    return Promise.all(
      metrics.map((metric) =>
        this.assemble(peers, metric, query, fetched, byYear, failedYears),
      ),
    );
  }

  /**
   * Every dataset-year's answers for the industry's NAICS code, and for its sector where the finer code has no rows,
   * in as few client calls as that takes; a failure (with no kept answers) is returned, not thrown.
   */
  private async fetchYears(
    industry: string,
    datasets: readonly CensusDataset[],
    years: readonly number[],
  ): Promise<{
    fetched: Fetched;
    byYear: Map<string, YearAnswers>;
    /** Dataset-years Census failed for with nothing kept ("abscs:2022"), and why. */
    failedYears: Map<string, string>;
  }> {
    const naics = CENSUS_NAICS[industry];
    const requestsFor = (
      code: string,
      pairs: ReadonlyArray<readonly [CensusDataset, number]>,
    ): DatasetRequest[] =>
      pairs.flatMap(([dataset, year]) =>
        CENSUS_GEOS.map((geo) => ({ dataset, year, naics: code, geo })),
      );
    const pairs = datasets.flatMap((d) => years.map((y) => [d, y] as const));
    const byYear = new Map<string, YearAnswers>();
    const failedYears = new Map<string, string>();
    if (pairs.length === 0) return { fetched: {}, byYear, failedYears };
    const first = await this.call(requestsFor(naics.code, pairs));
    if (!first.answers) return { fetched: first, byYear, failedYears };
    let stale = first.answers.stale;
    /** Both answers of a dataset-year, or why Census could not give one. */
    const answer = (
      answers: UpstreamResults<CensusAnswer>,
      code: string,
      dataset: CensusDataset,
      year: number,
    ): YearAnswers | string => {
      const [state, us] = (['state', 'us'] as const).map((geo) =>
        censusAnswerKey({ dataset, year, naics: code, geo }),
      );
      const failure = answers.failed?.get(state) ?? answers.failed?.get(us);
      if (failure !== undefined) return failure;
      return { state: answers.get(state)!, us: answers.get(us)!, naics: code };
    };
    const place = (key: string, found: YearAnswers | string) => {
      if (typeof found === 'string') failedYears.set(key, found);
      else byYear.set(key, found);
    };
    const empty: Array<readonly [CensusDataset, number]> = [];
    for (const [dataset, year] of pairs) {
      const own = answer(first.answers, naics.code, dataset, year);
      place(`${dataset}:${year}`, own);
      if (
        typeof own !== 'string' &&
        naics.sector &&
        (own.state.status === 'empty' || own.us.status === 'empty')
      )
        empty.push([dataset, year]);
    }
    if (empty.length > 0) {
      // The finer code has no rows (not published at that level): the sector stands in, and the metadata says so.
      const second = await this.call(requestsFor(naics.sector!, empty));
      for (const [dataset, year] of empty) {
        const key = `${dataset}:${year}`;
        if (!second.answers) {
          // Census failed for the sector: those years are not "unpublished", they are stand-ins with a warning.
          byYear.delete(key);
          failedYears.set(key, second.failure!);
        } else place(key, answer(second.answers, naics.sector!, dataset, year));
      }
      if (
        second.answers?.stale &&
        (!stale || second.answers.stale.fetchedAt < stale.fetchedAt)
      )
        stale = second.answers.stale;
    }
    if (stale) first.answers.stale = stale;
    return { fetched: first, byYear, failedYears };
  }

  /** A client call whose Census failures become a reason to serve stand-ins; other errors are bugs and propagate. */
  private async call(requests: readonly DatasetRequest[]): Promise<Fetched> {
    try {
      return { answers: await this.client.fetchAnswers(requests) };
    } catch (error) {
      if (!isCensusFailure(error)) throw error;
      return { failure: this.client.scrub((error as Error).message) };
    }
  }

  private async assemble(
    peers: PeerGroup,
    metric: MetricDefinition,
    query: SeriesQuery,
    fetched: Fetched,
    byYear: ReadonlyMap<string, YearAnswers>,
    failedYears: ReadonlyMap<string, string>,
  ): Promise<BenchmarkSeries> {
    const { dataset, formula } = CENSUS_FORMULAS[metric.name];
    const spec = DATASETS[dataset];
    const periods = periodStarts(metric.frequency, query.start, query.end);
    const warnings: string[] = [];
    const yearNotes: YearNote[] = [];
    const points = new Map<Month, BenchmarkPoint>();
    const naicsUsed = new Set<string>();
    const unpublished: number[] = [];
    const failed: number[] = [];
    let failureReason: string | undefined;
    let fellBack = false;
    if (!fetched.answers) {
      warnings.push(
        `${metric.name}: ${fetched.failure}; synthetic stand-ins are served instead (source "synthetic" on each point)`,
      );
    } else {
      if (fetched.answers.stale)
        warnings.push(
          `${metric.name}: ${describeStaleness('Census', fetched.answers.stale)}`,
        );
      for (const year of this.years(query)) {
        const failure = failedYears.get(`${dataset}:${year}`);
        if (failure !== undefined) {
          failed.push(year);
          failureReason ??= failure;
          continue;
        }
        const answers = byYear.get(`${dataset}:${year}`);
        if (
          !answers ||
          answers.state.status === 'not_published' ||
          answers.us.status === 'not_published'
        ) {
          unpublished.push(year);
          continue;
        }
        naicsUsed.add(answers.naics);
        const own = CENSUS_NAICS[peers.industry];
        if (answers.naics !== own.code)
          yearNotes.push({
            year,
            text: `${metric.name}: Census publishes no ${year} rows for NAICS ${own.code}; the ${year} figure is for its sector, NAICS ${answers.naics}`,
          });
        const chain = fallbackChain(peers);
        let chosen:
          | { level: PeerLevel; figure: ReturnType<typeof cellFigure> }
          | undefined;
        const reasons: string[] = [];
        for (const level of chain) {
          const figure = cellFigure(
            answers.state.records,
            answers.us.records,
            formula,
            level,
          );
          if (isFigure(figure)) {
            chosen = { level, figure };
            break;
          }
          reasons.push(figure.reason);
        }
        const month = monthOf(year, 1);
        if (!chosen || !isFigure(chosen.figure)) {
          yearNotes.push({
            year,
            text: `${metric.name}: Census publishes no usable ${year} figure for this industry, even for every size nationally (${reasons[reasons.length - 1]}), so this year has no Census figure`,
          });
          continue;
        }
        const { level, figure } = chosen;
        if (level.fallback) fellBack = true;
        points.set(month, {
          month,
          value: roundToUnit(figure.value, metric.unit),
          percentiles: null,
          sampleSize: figure.units,
          source: 'census',
          population: true,
          ...(level.fallback ? { peerGroup: level } : {}),
        });
        if (figure.quality.length > 0)
          yearNotes.push({
            year,
            text: `${metric.name}: the ${spec.program} ${year} figure${level.fallback ? ` (for ${describeLevel(level)})` : ''} carries ${figure.quality.join('; ')}`,
          });
      }
    }

    if (failureReason !== undefined)
      warnings.push(
        `${metric.name}: ${failureReason}; synthetic stand-ins are served for ${failed.join(', ')} instead (source "synthetic" on each point)`,
      );
    const missing = periods.filter((m) => !points.has(m));
    // Census failed with nothing kept: stand-ins for everything (or the years it failed for). Kept answers are real:
    // only `blended` fills the years Census has not published.
    const failedMonths = new Set(failed.map((y) => monthOf(y, 1)));
    const fillAll = !fetched.answers || this.name === 'blended';
    const fill =
      missing.length > 0 &&
      (fillAll || missing.some((m) => failedMonths.has(m)));
    const standIns = fill
      ? await this.standIns(peers, metric, query)
      : new Map<Month, BenchmarkPoint>();
    const served = periods
      .map(
        (m) =>
          points.get(m) ??
          (fillAll || failedMonths.has(m) ? standIns.get(m) : undefined),
      )
      .filter((p): p is BenchmarkPoint => p !== undefined);
    const band = COMPANY_SIZE_EMPLOYEES[peers.companySize];
    return {
      ...peers,
      metricName: metric.name,
      unit: metric.unit,
      direction: metric.direction,
      frequency: metric.frequency,
      source: seriesSourceOf(served, 'census'),
      points: served,
      metadata: {
        frequency: metric.frequency,
        statistic: metric.statistic,
        census_program: `${spec.program} (${dataset})`,
        census_dataset: dataset,
        naics:
          naicsUsed.size > 0
            ? [...naicsUsed].sort()
            : [CENSUS_NAICS[peers.industry].code],
        ...(CENSUS_NAICS[peers.industry].sector &&
        naicsUsed.has(CENSUS_NAICS[peers.industry].sector!)
          ? {
              naics_note: `Census publishes no rows for NAICS ${CENSUS_NAICS[peers.industry].code} in some years used: their figures are for its sector, NAICS ${CENSUS_NAICS[peers.industry].sector}.`,
            }
          : {}),
        company_size_employees: `${band.min}-${band.max}`,
        size_basis: SIZE_BASIS[dataset],
        size_classes: sizeClassesOf(byYear, dataset, peers),
        region_note:
          peers.region === 'national'
            ? 'The U.S. rows themselves (they include cells Census withholds at state level).'
            : `Sums over the region's ${REGION_STATES[peers.region].length} states and the size's classes, then divided (never an average of averages).`,
        employees_note: EMPLOYEES_NOTE,
        sample_size_note: `sample_size is the number of ${spec.unit} in the cell: a population count, not a survey sample.`,
        census_fallback:
          "Where Census withholds a cell, or publishes under 80% of it, the point comes from a broader peer group: the same size nationally, then every size nationally. Each point's peer_group says which.",
        ...(fellBack ? { fell_back: true } : {}),
        unpublished_note: `Census publishes a year's figures about two years after it ends; this source serves ${CENSUS_FIRST_YEAR} on. Years not published yet${unpublished.length > 0 ? ` (here ${unpublished.join(', ')})` : ''}, or before ${CENSUS_FIRST_YEAR}, ${this.name === 'blended' ? 'are synthetic stand-ins (each point says its source)' : 'are left out'}.`,
        attribution: CENSUS_ATTRIBUTION,
        ...(query.seasonallyAdjusted
          ? {
              seasonally_adjusted: true,
              seasonal_adjustment_note:
                'An annual figure has no seasonal component: it is compared as published.',
            }
          : {}),
      },
      warnings,
      ...(yearNotes.length > 0 ? { yearNotes } : {}),
    };
  }

  /** Synthetic stand-ins for a Census metric over the query's range, by period start. */
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
}

function describeLevel(level: PeerLevel): string {
  const size =
    level.companySize === 'all'
      ? 'every size'
      : `${COMPANY_SIZE_EMPLOYEES[level.companySize].min}-${COMPANY_SIZE_EMPLOYEES[level.companySize].max} employees`;
  return `${size}, ${level.region === 'national' ? 'nationally' : `in the ${level.region}`}`;
}

/** The labels of the size classes the company size sums, as the newest answer names them. */
function sizeClassesOf(
  byYear: ReadonlyMap<string, YearAnswers>,
  dataset: CensusDataset,
  peers: PeerGroup,
): string[] {
  const band = COMPANY_SIZE_EMPLOYEES[peers.companySize];
  const newest = [...byYear.entries()]
    .filter(([key, a]) => key.startsWith(`${dataset}:`) && a.us.status === 'ok')
    .sort(([a], [b]) => b.localeCompare(a))[0]?.[1];
  if (!newest) return [];
  return newest.us.records
    .filter((r) => inBand(r.size, band))
    .sort((a, b) => a.size.min - b.size.min)
    .map((r) => `${r.size.code} ${r.size.label}`);
}
