import { ApiProperty } from '@nestjs/swagger';
import type { BenchmarkPoint, BenchmarkSeries } from '../../domain/benchmark';
import { INDUSTRY_KEYS, METRIC_NAMES } from '../../domain/catalog';
import {
  COMPANY_SIZES,
  DIRECTIONS,
  REGIONS,
  SERIES_SOURCES,
  SOURCES,
  UNITS,
  type CompanySize,
  type Direction,
  type Region,
  type SeriesSource,
  type SourceName,
  type Unit,
} from '../../domain/enums';
import { monthToIsoDate } from '../../domain/months';
import { PEER_SIZES, type PeerSize } from '../../domain/peer-fallback';

/** The peer group a number describes: the one asked for, or a broader one it fell back to. */
export class PeerGroupUsedDto {
  @ApiProperty({
    description:
      'Company size class of the peers behind the number; `all` when every size was pooled (the last fallback).',
    enum: PEER_SIZES,
    example: 'medium',
  })
  company_size: PeerSize;

  @ApiProperty({
    description: 'Region of the peers behind the number.',
    enum: REGIONS,
    example: 'national',
  })
  region: Region;

  @ApiProperty({
    description:
      'True when the peer group asked for had fewer businesses than MIN_SAMPLE_SIZE (default 30) and this broader one was used instead: industry + size + region, then industry + size nationally, then the industry nationally with all sizes pooled (sample-weighted mixture of the three size distributions).',
    example: false,
  })
  fallback: boolean;
}

/** The wire form of the peer group a point describes: its own `peerGroup`, else the series' cell. */
export function toPeerGroupUsed(
  point: BenchmarkPoint,
  own: Pick<BenchmarkSeries, 'companySize' | 'region'>,
): PeerGroupUsedDto {
  const level = point.peerGroup;
  return level
    ? {
        company_size: level.companySize,
        region: level.region,
        fallback: level.fallback,
      }
    : { company_size: own.companySize, region: own.region, fallback: false };
}

const percentile = (rank: number, example: number) => ({
  description: `${rank}th percentile of peers; null for a metric published only as a mean (metadata.statistic "mean").`,
  type: Number,
  nullable: true,
  example,
});

export class BenchmarkDataPointDto {
  @ApiProperty({
    description: 'Metric name.',
    enum: METRIC_NAMES,
    example: 'revenue_per_employee',
  })
  metric_name: string;

  @ApiProperty({
    description:
      'The benchmark value: the peer median (equals percentile_50), or the published mean when the metric has no percentiles.',
    example: 176420.55,
  })
  value: number;

  @ApiProperty({
    description:
      "First day of the point's period (a month, a quarter or a year: see the series' metadata.frequency).",
    format: 'date',
    example: '2024-01-01',
  })
  period: string;

  @ApiProperty(percentile(10, 105230.1))
  percentile_10: number | null;

  @ApiProperty(percentile(25, 134050.42))
  percentile_25: number | null;

  @ApiProperty(percentile(50, 176420.55))
  percentile_50: number | null;

  @ApiProperty(percentile(75, 232180.77))
  percentile_75: number | null;

  @ApiProperty(percentile(90, 295770.36))
  percentile_90: number | null;

  @ApiProperty({
    description:
      'Number of businesses behind this point (of the peer group in peer_group, so of the broader group after a fallback); null where the source publishes no count (BLS). For Census metrics, the firms or establishments in the cell: a population count, not a survey sample, so it widens no rank interval.',
    type: Number,
    nullable: true,
    example: 318,
  })
  sample_size: number | null;

  @ApiProperty({
    description:
      'Where this number came from. `synthetic` in a BLS metric marks a stand-in (see warnings).',
    enum: SOURCES,
    example: 'synthetic',
  })
  source: SourceName;

  @ApiProperty({
    description:
      'The peer group this point describes: the one asked for, or (fallback true) a broader one when its sample was under MIN_SAMPLE_SIZE.',
    type: PeerGroupUsedDto,
  })
  peer_group: PeerGroupUsedDto;
}

export class BenchmarkSeriesDto {
  @ApiProperty({
    description: 'Metric name.',
    enum: METRIC_NAMES,
    example: 'revenue_per_employee',
  })
  metric_name: string;

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
    description: 'Unit of every value in the series.',
    enum: UNITS,
    example: 'usd',
  })
  unit: Unit;

  @ApiProperty({
    description: 'Whether higher or lower values are better.',
    enum: DIRECTIONS,
    example: 'higher_is_better',
  })
  direction: Direction;

  @ApiProperty({
    description:
      'Where the series came from: `mixed` when some points are synthetic stand-ins for BLS numbers.',
    enum: SERIES_SOURCES,
    example: 'synthetic',
  })
  source: SeriesSource;

  @ApiProperty({
    description:
      'One point per period of the range (monthly, quarterly or annual), oldest first.',
    type: [BenchmarkDataPointDto],
  })
  data_points: BenchmarkDataPointDto[];

  @ApiProperty({
    description:
      "How the series was made: frequency (monthly, quarterly, annual), statistic (percentiles or mean), and the source's own facts (generator calibration, BLS series IDs, what company size or region the numbers really describe).",
    type: 'object',
    additionalProperties: true,
    example: {
      frequency: 'monthly',
      statistic: 'percentiles',
      generator: 'synthetic-v2',
      seed: 20240101,
      base_month: '2024-01-01',
      base_median: 280000,
      annual_growth_rate: 0.035,
      seasonality: 'retail_q4_peak',
      seasonal_strength: 1,
      company_size_factor: 1,
      region_factor: 1,
      note: 'Synthetic: modelled from published industry magnitudes, not observations of real businesses.',
    },
  })
  metadata: Record<string, unknown>;

  @ApiProperty({
    description:
      'Why some numbers are not what was asked for, e.g. BLS was unreachable or out of quota and synthetic stand-ins were served. Empty when all is well.',
    type: [String],
    example: [],
  })
  warnings: string[];
}

export function toDataPointResponse(
  metricName: string,
  point: BenchmarkPoint,
  own: Pick<BenchmarkSeries, 'companySize' | 'region'>,
): BenchmarkDataPointDto {
  const p = point.percentiles;
  return {
    metric_name: metricName,
    value: point.value,
    period: monthToIsoDate(point.month),
    percentile_10: p ? p.p10 : null,
    percentile_25: p ? p.p25 : null,
    percentile_50: p ? p.p50 : null,
    percentile_75: p ? p.p75 : null,
    percentile_90: p ? p.p90 : null,
    sample_size: point.sampleSize,
    source: point.source,
    peer_group: toPeerGroupUsed(point, own),
  };
}

export function toSeriesResponse(series: BenchmarkSeries): BenchmarkSeriesDto {
  return {
    metric_name: series.metricName,
    industry: series.industry,
    company_size: series.companySize,
    region: series.region,
    unit: series.unit,
    direction: series.direction,
    source: series.source,
    data_points: series.points.map((p) =>
      toDataPointResponse(series.metricName, p, series),
    ),
    metadata: { ...series.metadata, frequency: series.frequency },
    warnings: [...series.warnings],
  };
}
