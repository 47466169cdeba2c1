import { ApiProperty } from '@nestjs/swagger';
import type { ComparisonResult } from '../comparison.service';
import {
  COMPANY_SIZES,
  DIRECTIONS,
  INTERPRETATIONS,
  REGIONS,
  SOURCES,
  UNITS,
  type CompanySize,
  type Direction,
  type Interpretation,
  type Region,
  type SourceName,
  type Unit,
} from '../../domain/enums';
import { monthToIsoDate } from '../../domain/months';
import { INDUSTRY_KEYS, METRIC_NAMES } from '../../domain/catalog';

export class ComparisonResultDto {
  @ApiProperty({
    description: 'Metric name.',
    enum: METRIC_NAMES,
    example: 'revenue_per_employee',
  })
  metric_name: string;

  @ApiProperty({ description: 'Your value, as sent.', example: 180000 })
  user_value: number;

  @ApiProperty({
    description: 'The benchmark: the peer median (percentile_50).',
    example: 176420.55,
  })
  benchmark_value: number;

  @ApiProperty({
    description: 'user_value - benchmark_value, in the metric unit.',
    example: 3579.45,
  })
  difference: number;

  @ApiProperty({
    description:
      'difference / |benchmark_value| * 100, one decimal; null when the benchmark is 0.',
    type: Number,
    nullable: true,
    example: 2,
  })
  percentage_difference: number | null;

  @ApiProperty({
    description:
      'Share of peers (0-100, one decimal) with a lower value, by linear interpolation between the percentiles returned here, extrapolated beyond p10/p90. Null when the benchmark is a mean only (no percentiles published).',
    type: Number,
    nullable: true,
    example: 53.1,
  })
  percentile_rank: number | null;

  @ApiProperty({
    description:
      'Performance band, where "above" always means better than peers. With percentiles: from the rank for higher-is-better metrics, from 100 - rank for lower-is-better ones; >= 90 significantly_above, >= 75 above_average, >= 25 average, >= 10 below_average. Without percentiles (a mean): from the difference turned so that positive is better, in percent (>= 25 significantly_above, >= 10 above_average, > -10 average, > -25 below_average) or, for fractions, in percentage points (>= 3, >= 1, > -1, > -3).',
    enum: INTERPRETATIONS,
    example: 'average',
  })
  interpretation: Interpretation;

  @ApiProperty({
    description: 'The comparison in one plain-language paragraph.',
    example:
      'Your revenue per employee of $180,000 is 15.5% lower than the median of $212,892 for medium-sized retail businesses nationally. That is about the 35th percentile: you do better than about 35% of peers. Rating: average, within the middle half of your peers.',
  })
  interpretation_text: string;

  @ApiProperty({
    description:
      '10th percentile of peers; null when only a mean is published.',
    type: Number,
    nullable: true,
    example: 105230.1,
  })
  percentile_10: number | null;

  @ApiProperty({
    description:
      '25th percentile of peers; null when only a mean is published.',
    type: Number,
    nullable: true,
    example: 134050.42,
  })
  percentile_25: number | null;

  @ApiProperty({
    description:
      '50th percentile (median) of peers; null when only a mean is published.',
    type: Number,
    nullable: true,
    example: 176420.55,
  })
  percentile_50: number | null;

  @ApiProperty({
    description:
      '75th percentile of peers; null when only a mean is published.',
    type: Number,
    nullable: true,
    example: 232180.77,
  })
  percentile_75: number | null;

  @ApiProperty({
    description:
      '90th percentile of peers; null when only a mean is published.',
    type: Number,
    nullable: true,
    example: 295770.36,
  })
  percentile_90: number | null;

  @ApiProperty({
    description:
      'Number of businesses behind the benchmark; null where the source counts a whole population (BLS).',
    type: Number,
    nullable: true,
    example: 318,
  })
  sample_size: number | null;

  @ApiProperty({
    description: 'Whether higher or lower values are better.',
    enum: DIRECTIONS,
    example: 'higher_is_better',
  })
  direction: Direction;

  @ApiProperty({
    description: 'Unit of the values.',
    enum: UNITS,
    example: 'usd',
  })
  unit: Unit;

  @ApiProperty({
    description: 'Where the benchmark came from.',
    enum: SOURCES,
    example: 'synthetic',
  })
  source: SourceName;

  @ApiProperty({
    description: 'Industry key.',
    enum: INDUSTRY_KEYS,
    example: 'retail',
  })
  industry: string;

  @ApiProperty({
    description: 'Company size class.',
    enum: COMPANY_SIZES,
    example: 'medium',
  })
  company_size: CompanySize;

  @ApiProperty({ description: 'Region.', enum: REGIONS, example: 'national' })
  region: Region;

  @ApiProperty({
    description: 'The benchmark month, as its first day.',
    format: 'date',
    example: '2024-12-01',
  })
  period: string;

  @ApiProperty({
    description:
      'The period of the benchmark used, as its first day: the requested month for monthly metrics; for annual or quarterly ones (BLS publishes with a lag) the newest period starting at or before it.',
    format: 'date',
    example: '2024-12-01',
  })
  benchmark_period: string;

  @ApiProperty({
    description:
      'Why the benchmark is not what was asked for, e.g. BLS was unreachable and a synthetic stand-in was used. Empty when all is well.',
    type: [String],
    example: [],
  })
  warnings: string[];
}

export function toComparisonResponse(
  result: ComparisonResult,
): ComparisonResultDto {
  const c = result.comparison;
  const p = result.point.percentiles;
  return {
    metric_name: result.metric.name,
    user_value: c.userValue,
    benchmark_value: c.benchmarkValue,
    difference: c.difference,
    percentage_difference: c.percentageDifference,
    percentile_rank: c.percentileRank,
    interpretation: c.interpretation,
    interpretation_text: c.interpretationText,
    percentile_10: p ? p.p10 : null,
    percentile_25: p ? p.p25 : null,
    percentile_50: p ? p.p50 : null,
    percentile_75: p ? p.p75 : null,
    percentile_90: p ? p.p90 : null,
    sample_size: result.point.sampleSize,
    direction: result.metric.direction,
    unit: result.metric.unit,
    source: result.point.source,
    industry: result.peers.industry,
    company_size: result.peers.companySize,
    region: result.peers.region,
    period: monthToIsoDate(result.month),
    benchmark_period: monthToIsoDate(result.point.month),
    warnings: [...result.warnings],
  };
}
