import {
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  seriesSourceOf,
  type BenchmarkPoint,
  type BenchmarkSeries,
  type SeriesQuery,
} from '../../domain/benchmark';
import type { IndustryDefinition } from '../../domain/catalog';
import type { DataSourceName, Unit } from '../../domain/enums';
import { strictlyIncreasing } from '../../domain/format';
import { monthFromIsoDate, monthToIsoDate } from '../../domain/months';
import type { DataSource } from '../data-source.interface';

/** A published cell as the source reads it. */
export interface PublishedCellValues {
  readonly metric: string;
  /** The first day of its month, YYYY-MM-DD. */
  readonly period: string;
  readonly n: number;
  readonly p10: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
}

/** Which publication is current. */
export interface PublicationRef {
  readonly publicationId: number;
  readonly publishedAt: Date;
}

/** The published cells of contributed data (the publication repository, or a fake in tests). */
export interface PublishedCells {
  current(): Promise<PublicationRef | undefined>;
  cells(
    publicationId: number,
    peers: { industry: string; companySize: string; region: string },
    metrics: readonly string[],
    firstPeriod: string,
    lastPeriod: string,
  ): Promise<PublishedCellValues[]>;
}

/** How often each instance asks which publication is current: readers move to a new one within this. */
export const PUBLICATION_REFRESH_MS = 30_000;

/** The warning of an answer whose contributed cells could not be read. */
export const CONTRIBUTED_UNAVAILABLE =
  'Contributed benchmarks could not be read (the database did not answer): modelled numbers are served where published cells would be';

/**
 * A published cell as a benchmark point: its median the value, `n` the sample, each percentile kept strictly above
 * the one below (a tie is nudged up by the unit's precision, as pooled points are).
 */
export function contributedPoint(
  cell: PublishedCellValues,
  unit: Unit,
): BenchmarkPoint {
  const [p10, p25, p50, p75, p90] = strictlyIncreasing(
    [cell.p10, cell.p25, cell.p50, cell.p75, cell.p90],
    unit,
  );
  return {
    month: monthFromIsoDate(cell.period),
    value: p50,
    percentiles: { p10, p25, p50, p75, p90 },
    sampleSize: cell.n,
    source: 'user_contributed',
  };
}

/**
 * DATA_SOURCE=contributed and blended: another source's series, in which every modelled (synthetic) point whose cell
 * the current publication holds is replaced by the published cell, labelled `user_contributed`, with `n` as its
 * sample. Real BLS and Census numbers are never replaced. The current publication is asked for every
 * {@link PUBLICATION_REFRESH_MS} and is part of the fingerprint, so cached answers of an older one are not read once a
 * new one is seen. When the database cannot answer, the last publication seen keeps its cached cells and the rest is
 * served from the other source with a warning (and not cached).
 */
export class ContributedDataSource
  implements DataSource, OnModuleInit, OnModuleDestroy
{
  readonly name: DataSourceName;
  private readonly logger = new Logger('ContributedDataSource');
  private publication?: PublicationRef;
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    name: 'contributed' | 'blended',
    private readonly inner: DataSource & Partial<OnModuleInit>,
    private readonly published: PublishedCells,
  ) {
    this.name = name;
  }

  get fingerprint(): string {
    return `${this.inner.fingerprint}+contributed.${this.publication?.publicationId ?? 'none'}`;
  }

  onModuleInit(): void {
    this.inner.onModuleInit?.();
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), PUBLICATION_REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Learns which publication is current; keeps the last one known when the database cannot say. */
  async refresh(): Promise<void> {
    try {
      this.publication = (await this.published.current()) ?? undefined;
      if (this.failing)
        this.logger.log(
          'the database answers again: contributed cells are read again',
        );
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.logger.warn({
          msg: 'cannot learn the current publication; serving the last one known',
          reason: (error as Error).message,
        });
      this.failing = true;
    }
  }

  metricNames(industry: IndustryDefinition): readonly string[] {
    return this.inner.metricNames(industry);
  }

  async getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    const series = await this.inner.getSeries(query);
    const publication = this.publication;
    if (!publication || query.seasonallyAdjusted) return series;
    let cells: PublishedCellValues[];
    try {
      cells = await this.published.cells(
        publication.publicationId,
        query,
        query.metrics,
        monthToIsoDate(query.start),
        monthToIsoDate(query.end),
      );
    } catch {
      return series.map((s) => ({
        ...s,
        warnings: [...s.warnings, CONTRIBUTED_UNAVAILABLE],
      }));
    }
    return series.map((s) => this.overlay(s, cells, publication));
  }

  private overlay(
    series: BenchmarkSeries,
    cells: readonly PublishedCellValues[],
    publication: PublicationRef,
  ): BenchmarkSeries {
    const own = new Map(
      cells
        .filter((c) => c.metric === series.metricName)
        .map((c) => [monthFromIsoDate(c.period), c]),
    );
    if (own.size === 0) return series;
    let replaced = 0;
    const points = series.points.map((point) => {
      const cell = own.get(point.month);
      if (!cell || point.source !== 'synthetic') return point;
      replaced++;
      return contributedPoint(cell, series.unit);
    });
    if (replaced === 0) return series;
    return {
      ...series,
      source: seriesSourceOf(points, series.source),
      points,
      metadata: {
        ...series.metadata,
        contributed: {
          publication_id: publication.publicationId,
          published_at: publication.publishedAt.toISOString(),
          note: "Points labelled user_contributed are peers' own figures, contributed by the apps that use this service and published for cells of enough businesses: percentiles over distinct businesses after trimming the extreme 1% at each end; sample_size is the number of businesses.",
        },
      },
    };
  }
}
