import { ApiProperty } from '@nestjs/swagger';
import type { BenchmarkPoint, BenchmarkSeries } from '../../domain/benchmark';
import {
  COMPANY_SIZES,
  DIRECTIONS,
  REGIONS,
  SOURCES,
  UNITS,
  type CompanySize,
  type Direction,
  type Region,
  type SourceName,
  type Unit,
} from '../../domain/enums';
import { monthFromIsoDate, monthToIsoDate } from '../../domain/months';
import { INDUSTRY_KEYS, METRIC_NAMES } from '../../domain/catalog';

export class BenchmarkDataPointDto {
  @ApiProperty({
    description: 'Metric name.',
    enum: METRIC_NAMES,
    example: 'revenue_per_employee',
  })
  metric_name: string;

  @ApiProperty({
    description: 'The benchmark value: the peer median (equals percentile_50).',
    example: 176420.55,
  })
  value: number;

  @ApiProperty({
    description: 'The month, as its first day (YYYY-MM-01).',
    format: 'date',
    example: '2024-01-01',
  })
  period: string;

  @ApiProperty({ description: '10th percentile of peers.', example: 105230.1 })
  percentile_10: number;

  @ApiProperty({ description: '25th percentile of peers.', example: 134050.42 })
  percentile_25: number;

  @ApiProperty({
    description: '50th percentile (median) of peers.',
    example: 176420.55,
  })
  percentile_50: number;

  @ApiProperty({ description: '75th percentile of peers.', example: 232180.77 })
  percentile_75: number;

  @ApiProperty({ description: '90th percentile of peers.', example: 295770.36 })
  percentile_90: number;

  @ApiProperty({
    description: 'Number of businesses behind this cell.',
    example: 318,
  })
  sample_size: number;

  @ApiProperty({
    description: 'Where the number came from.',
    enum: SOURCES,
    example: 'synthetic',
  })
  source: SourceName;
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
    description: 'Where the series came from.',
    enum: SOURCES,
    example: 'synthetic',
  })
  source: SourceName;

  @ApiProperty({
    description: 'One point per month of the range, oldest first.',
    type: [BenchmarkDataPointDto],
  })
  data_points: BenchmarkDataPointDto[];

  @ApiProperty({
    description:
      'How the series was made: frequency, statistic, generator and its calibration.',
    type: 'object',
    additionalProperties: true,
    example: {
      frequency: 'monthly',
      statistic: 'percentiles',
      generator: 'synthetic-v1',
      seed: 20240101,
      base_month: '2024-01-01',
      base_median: 175000,
      annual_growth_rate: 0.035,
      seasonality: 'retail_q4_peak',
      seasonal_strength: 1,
      company_size_factor: 1,
      region_factor: 1,
      note: 'Synthetic: modelled from published industry magnitudes, not observations of real businesses.',
    },
  })
  metadata: Record<string, unknown>;
}

export function toDataPointResponse(
  metricName: string,
  point: BenchmarkPoint,
): BenchmarkDataPointDto {
  const p = point.percentiles;
  return {
    metric_name: metricName,
    value: p.p50,
    period: monthToIsoDate(point.month),
    percentile_10: p.p10,
    percentile_25: p.p25,
    percentile_50: p.p50,
    percentile_75: p.p75,
    percentile_90: p.p90,
    sample_size: point.sampleSize,
    source: point.source,
  };
}

/** The inverse of {@link toDataPointResponse}, for points read back from the cache. */
export function fromDataPointResponse(
  dto: BenchmarkDataPointDto,
): BenchmarkPoint {
  return {
    month: monthFromIsoDate(dto.period),
    percentiles: {
      p10: dto.percentile_10,
      p25: dto.percentile_25,
      p50: dto.percentile_50,
      p75: dto.percentile_75,
      p90: dto.percentile_90,
    },
    sampleSize: dto.sample_size,
    source: dto.source,
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
      toDataPointResponse(series.metricName, p),
    ),
    metadata: { ...series.metadata },
  };
}
