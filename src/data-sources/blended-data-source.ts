import { Logger, type OnModuleInit } from '@nestjs/common';
import type { BenchmarkSeries, SeriesQuery } from '../domain/benchmark';
import {
  BLS_METRIC_NAMES,
  CENSUS_METRIC_NAMES,
  findMetric,
  type IndustryDefinition,
} from '../domain/catalog';
import type { SourceName } from '../domain/enums';
import type { DataSource } from './data-source.interface';
import type { SyntheticDataSource } from './synthetic/synthetic-data-source';

/** A real source as a part of the blend: its own metrics only, gaps filled with labelled stand-ins. */
type Part = DataSource & Partial<OnModuleInit>;

/**
 * DATA_SOURCE=blended: every metric of the industry, each from its own source: BLS metrics from BLS, Census metrics
 * from Census (when a CENSUS_API_KEY is set; without one they are not offered), the rest from the synthetic generator.
 * Each part fills the periods it cannot serve with synthetic stand-ins, labelled `synthetic`: every point keeps its
 * honest source, and a series that mixes says `mixed`.
 */
export class BlendedDataSource implements DataSource, OnModuleInit {
  readonly name = 'blended' as const;
  readonly fingerprint: string;
  private readonly logger = new Logger('BlendedDataSource');
  private readonly parts: ReadonlyMap<SourceName, Part>;

  constructor(
    private readonly synthetic: SyntheticDataSource,
    bls: Part,
    private readonly census: Part | null,
  ) {
    this.parts = new Map<SourceName, Part>([
      ['synthetic', synthetic],
      ['bls', bls],
      ...(census ? [['census', census] as const] : []),
    ]);
    this.fingerprint = `blended-v3.${bls.fingerprint}.${census?.fingerprint ?? 'no-census'}`;
  }

  onModuleInit(): void {
    for (const part of this.parts.values()) part.onModuleInit?.();
    if (!this.census)
      this.logger.warn(
        `CENSUS_API_KEY is not set: the Census metrics (${CENSUS_METRIC_NAMES.join(', ')}) are not served. Get a key at https://api.census.gov/data/key_signup.html`,
      );
  }

  metricNames(industry: IndustryDefinition): readonly string[] {
    return [
      ...industry.metrics,
      ...BLS_METRIC_NAMES,
      ...(this.census ? CENSUS_METRIC_NAMES : []),
    ];
  }

  async getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    const bySource = new Map<Part, string[]>();
    for (const name of query.metrics) {
      const part =
        this.parts.get(findMetric(name)?.source ?? 'synthetic') ??
        this.synthetic;
      bySource.set(part, [...(bySource.get(part) ?? []), name]);
    }
    const answered = await Promise.all(
      [...bySource].map(([part, metrics]) =>
        part.getSeries({ ...query, metrics }),
      ),
    );
    const byName = new Map(answered.flat().map((s) => [s.metricName, s]));
    return query.metrics.map((name) => byName.get(name)!);
  }
}
