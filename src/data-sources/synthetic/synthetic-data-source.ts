import type { BenchmarkSeries, SeriesQuery } from '../../domain/benchmark';
import { findMetric, type IndustryDefinition } from '../../domain/catalog';
import type { DataSource } from '../data-source.interface';
import { GENERATOR_VERSION, SyntheticGenerator } from './synthetic-generator';

/** Error for a metric the synthetic generator has no calibration for (a catalog/profile mismatch, never user input). */
export class SyntheticMetricUnsupportedError extends Error {
  constructor(industry: string, metric: string) {
    super(`The synthetic source has no calibration for ${industry}/${metric}`);
    this.name = 'SyntheticMetricUnsupportedError';
  }
}

/** {@link DataSource} over the deterministic {@link SyntheticGenerator}. */
export class SyntheticDataSource implements DataSource {
  readonly name = 'synthetic' as const;
  readonly fingerprint: string;
  private readonly generator: SyntheticGenerator;

  constructor(seed: number) {
    this.generator = new SyntheticGenerator(seed);
    this.fingerprint = `${GENERATOR_VERSION}.seed-${seed}`;
  }

  metricNames(industry: IndustryDefinition): readonly string[] {
    return industry.metrics;
  }

  async getSeries(query: SeriesQuery): Promise<BenchmarkSeries[]> {
    const peers = {
      industry: query.industry,
      companySize: query.companySize,
      region: query.region,
    };
    return query.metrics.map((name) => {
      const metric = findMetric(name);
      if (!metric || !this.generator.supports(query.industry, name)) {
        throw new SyntheticMetricUnsupportedError(query.industry, name);
      }
      return this.generator.series(
        peers,
        metric,
        query.start,
        query.end,
        query.seasonallyAdjusted === true,
      );
    });
  }
}
