import { createHash } from 'node:crypto';
import type { BenchmarkSeries, SeriesQuery } from '../../domain/benchmark';
import { findMetric, type IndustryDefinition } from '../../domain/catalog';
import type { DataSource } from '../data-source.interface';
import { LEVEL_INDICES } from './level-index-data';
import { GENERATOR_VERSION, SyntheticGenerator } from './synthetic-generator';
import { HISTORIES } from './synthetic-history';
import {
  EFFECTS,
  INDUSTRY_PROFILES,
  STAND_IN_PROFILES,
} from './synthetic-profiles';

/**
 * A digest of the generator's calibration data (profiles, effects, histories, level indices), part of the
 * fingerprint: a refreshed series or a retuned profile changes every cache key by itself, without relying on a
 * version bump (GENERATOR_VERSION stays the one for changes of the code).
 */
export const calibrationDigest = (calibration: object): string =>
  createHash('sha256')
    .update(JSON.stringify(calibration))
    .digest('hex')
    .slice(0, 12);

export const CALIBRATION = {
  INDUSTRY_PROFILES,
  STAND_IN_PROFILES,
  EFFECTS,
  HISTORIES,
  LEVEL_INDICES,
};

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
    this.fingerprint = `${GENERATOR_VERSION}.${calibrationDigest(CALIBRATION)}.seed-${seed}`;
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
