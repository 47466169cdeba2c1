import { ApiProperty } from '@nestjs/swagger';
import {
  PeerGroupUsedDto,
  toPeerGroupUsed,
} from '../../benchmarks/dto/benchmark-series.response.dto';
import { CONFIDENCE_LEVELS, type Confidence } from '../../domain/confidence';
import {
  TARGET_PERCENTILES,
  type TargetPercentile,
} from '../../domain/targets';
import type { ComparisonResult } from '../comparison.service';
import {
  COMPARISON_BASES,
  COMPANY_SIZES,
  DIRECTIONS,
  INTERPRETATIONS,
  REGIONS,
  SOURCES,
  UNITS,
  type CompanySize,
  type ComparisonBasis,
  type Direction,
  type Interpretation,
  type Region,
  type SourceName,
  type Unit,
} from '../../domain/enums';
import { monthToIsoDate } from '../../domain/months';
import { INDUSTRY_KEYS, METRIC_NAMES } from '../../domain/catalog';

export class TargetDto {
  @ApiProperty({
    description:
      'Performance percentile of the target (higher always better): 50 the median, 75 the top quartile, 90 the top tenth.',
    enum: TARGET_PERCENTILES,
    example: 75,
  })
  percentile: TargetPercentile;

  @ApiProperty({
    description:
      "The metric value at which you would reach that performance percentile, in the metric's unit: the peer percentile of the same rank for higher-is-better metrics, of rank 100 - percentile for lower-is-better ones (the top quartile of a cost is its 25th percentile).",
    example: 285843.63,
  })
  value: number;

  @ApiProperty({
    description:
      'value - user_value, exact (not rounded): positive means raise it, negative lower it. A reached target has a change of the other sign (or 0).',
    example: 105843.63,
  })
  change: number;

  @ApiProperty({
    description:
      'Whether you are already at or past this target (at or above value for higher-is-better metrics, at or below it for lower-is-better ones).',
    example: false,
  })
  reached: boolean;
}

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
    description:
      'The comparison in one plain-language paragraph: the difference, the standing, the rating, the nearest target not yet reached (in the metric unit), the broader peer group if one was used, and the period compared with.',
    example:
      "Your revenue per employee of $180,000 is 15.5% lower than the median of $212,892 for medium-sized retail businesses nationally. That is about the 35th percentile: you do better than about 35% of peers. Rating: average, within the middle half of your peers. Next target: +$32,892 revenue per employee to reach the median (the 50th percentile of performance, $212,892). Compared with peers' figures for December 2024, the same month, so both carry that month's season.",
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
      'Number of businesses behind the benchmark (of the peer group in peer_group, so of the broader group after a fallback); null where the source publishes no count (BLS). For Census metrics, the firms or establishments in the cell: a population count, not a survey sample, so it widens no rank interval.',
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
      'The period of the benchmark used, as its first day: the requested month for monthly metrics; for annual or quarterly ones (BLS publishes QCEW quarters months later, OEWS once a year) the newest period starting at or before it.',
    format: 'date',
    example: '2024-12-01',
  })
  benchmark_period: string;

  @ApiProperty({
    description:
      'Why the benchmark is not what was asked for, e.g. BLS was unreachable and a synthetic stand-in was used, or seasonal adjustment was asked for and the source cannot give it. Empty when all is well.',
    type: [String],
    example: [],
  })
  warnings: string[];

  @ApiProperty({
    description:
      'The values at which you would reach the 50th, 75th and 90th performance percentile, and the change to get there. Empty when the benchmark is a mean only (no distribution, so no percentile to aim at).',
    type: [TargetDto],
  })
  targets: TargetDto[];

  @ApiProperty({
    description:
      'How far the rank can be trusted. From the sample: high with 100 or more businesses (or a whole population, as BLS counts), medium with 30-99, low under 30; one level lower when the middle half of peers spans more than a factor of four (p75 / p25 > 4, or p25 and p75 on both sides of zero). Low when there are no percentiles.',
    enum: CONFIDENCE_LEVELS,
    example: 'high',
  })
  confidence: Confidence;

  @ApiProperty({
    description:
      'A plausible range [low, high] for percentile_rank given the sample size: the 95% Wilson score interval of the share of peers below your value, widened outward to one decimal; it always contains percentile_rank. Sampling only (not the interpolation between percentiles); a point when the sample size is null (a whole population). Null when there is no rank.',
    type: [Number],
    nullable: true,
    minItems: 2,
    maxItems: 2,
    example: [29.9, 40.2],
  })
  rank_interval: [number, number] | null;

  @ApiProperty({
    description:
      'The peer group the benchmark describes: the one asked for, or (fallback true) a broader one when its sample was under MIN_SAMPLE_SIZE. company_size and region above stay the ones asked for.',
    type: PeerGroupUsedDto,
  })
  peer_group: PeerGroupUsedDto;

  @ApiProperty({
    description:
      'Whether the benchmark was seasonally adjusted (asked for with seasonally_adjusted: true, and the source could adjust it).',
    example: false,
  })
  seasonally_adjusted: boolean;

  @ApiProperty({
    description:
      "What your value was compared with: `same_month` the distribution of that calendar month (so both carry the month's season), `seasonally_adjusted` that month's deseasonalised distribution, `published_period` for annual and quarterly metrics the newest published period at or before the month (benchmark_period).",
    enum: COMPARISON_BASES,
    example: 'same_month',
  })
  comparison_basis: ComparisonBasis;
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
    targets: c.targets.map((t) => ({
      percentile: t.percentile,
      value: t.value,
      change: t.change,
      reached: t.reached,
    })),
    confidence: c.confidence,
    rank_interval: c.rankInterval
      ? [c.rankInterval[0], c.rankInterval[1]]
      : null,
    peer_group: toPeerGroupUsed(result.point, {
      companySize: result.peers.companySize,
      region: result.peers.region,
    }),
    seasonally_adjusted: result.seasonallyAdjusted,
    comparison_basis: result.basis,
  };
}
