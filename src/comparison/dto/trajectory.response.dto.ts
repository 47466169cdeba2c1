import { ApiProperty } from '@nestjs/swagger';
import {
  PeerGroupUsedDto,
  toPeerGroupUsed,
} from '../../benchmarks/dto/benchmark-series.response.dto';
import { METRIC_NAMES } from '../../domain/catalog';
import {
  DIRECTIONS,
  SOURCES,
  UNITS,
  type Direction,
  type SourceName,
  type Unit,
} from '../../domain/enums';
import { monthToIsoDate } from '../../domain/months';
import type { Trajectory } from '../comparison.service';

export class TrajectoryPointDto {
  @ApiProperty({
    description: 'The month of your value, as its first day.',
    format: 'date',
    example: '2024-01-01',
  })
  period: string;

  @ApiProperty({ description: 'Your value, as sent.', example: 150000 })
  user_value: number;

  @ApiProperty({
    description:
      "The peer median for the month (a mean for mean-only metrics), as /compare would use it: that month's for monthly metrics, the newest published period at or before it for annual and quarterly ones.",
    example: 176420.55,
  })
  benchmark_value: number;

  @ApiProperty({
    description:
      'Your percentile rank among peers that month (0-100, one decimal, as /compare); null when the benchmark is a mean only.',
    type: Number,
    nullable: true,
    example: 38.2,
  })
  percentile_rank: number | null;

  @ApiProperty({
    description: 'The period of the benchmark used, as its first day.',
    format: 'date',
    example: '2024-01-01',
  })
  benchmark_period: string;

  @ApiProperty({
    description: 'Where the benchmark came from.',
    enum: SOURCES,
    example: 'synthetic',
  })
  source: SourceName;

  @ApiProperty({
    description:
      'The peer group of the benchmark: the one asked for, or a broader one when its sample was under MIN_SAMPLE_SIZE.',
    type: PeerGroupUsedDto,
  })
  peer_group: PeerGroupUsedDto;
}

export class TrajectoryDto {
  @ApiProperty({
    description: 'Metric name.',
    enum: METRIC_NAMES,
    example: 'revenue_per_employee',
  })
  metric_name: string;

  @ApiProperty({
    description: 'Unit of the values.',
    enum: UNITS,
    example: 'usd',
  })
  unit: Unit;

  @ApiProperty({
    description:
      'Whether higher or lower values are better: for lower-is-better metrics a falling rank is an improvement.',
    enum: DIRECTIONS,
    example: 'higher_is_better',
  })
  direction: Direction;

  @ApiProperty({
    description: 'One point per period sent, oldest first.',
    type: [TrajectoryPointDto],
  })
  points: TrajectoryPointDto[];

  @ApiProperty({
    description:
      'Last percentile_rank minus the first, one decimal; null when either is null.',
    type: Number,
    nullable: true,
    example: 6.4,
  })
  rank_change: number | null;

  @ApiProperty({
    description:
      'Your growth from the first period to the last, as a fraction to four decimals: (last - first) / |first| (0.25 means 25%); null when the first value is 0.',
    type: Number,
    nullable: true,
    example: 0.2667,
  })
  user_growth: number | null;

  @ApiProperty({
    description:
      "The benchmark's growth over the same periods, as a fraction to four decimals: (last - first) / |first|; null when the first is 0.",
    type: Number,
    nullable: true,
    example: 0.1834,
  })
  benchmark_growth: number | null;

  @ApiProperty({
    description: 'Whether the benchmarks were seasonally adjusted.',
    example: false,
  })
  seasonally_adjusted: boolean;

  @ApiProperty({
    description:
      'Why some benchmarks are not what was asked for (synthetic stand-ins for BLS, no seasonal adjustment possible). Empty when all is well.',
    type: [String],
    example: [],
  })
  warnings: string[];
}

export function toTrajectoryResponse(t: Trajectory): TrajectoryDto {
  return {
    metric_name: t.metric.name,
    unit: t.metric.unit,
    direction: t.metric.direction,
    points: t.results.map((r) => ({
      period: monthToIsoDate(r.month),
      user_value: r.comparison.userValue,
      benchmark_value: r.comparison.benchmarkValue,
      percentile_rank: r.comparison.percentileRank,
      benchmark_period: monthToIsoDate(r.point.month),
      source: r.point.source,
      peer_group: toPeerGroupUsed(r.point, {
        companySize: r.peers.companySize,
        region: r.peers.region,
      }),
    })),
    rank_change: t.rankChange,
    user_growth: t.userGrowth,
    benchmark_growth: t.benchmarkGrowth,
    seasonally_adjusted: t.results.every((r) => r.seasonallyAdjusted),
    warnings: [...new Set(t.results.flatMap((r) => r.warnings))],
  };
}
