import { ApiProperty } from '@nestjs/swagger';
import type {
  IndustryDefinition,
  MetricDefinition,
} from '../../domain/catalog';
import { INDUSTRY_KEYS } from '../../domain/catalog';
import {
  COMPANY_SIZE_EMPLOYEES,
  COMPANY_SIZES,
  DIRECTIONS,
  REGIONS,
  UNITS,
  FREQUENCIES,
  METRIC_SOURCES,
  STATISTICS,
  type Frequency,
  type MetricSourceName,
  type Statistic,
  type CompanySize,
  type Direction,
  type Region,
  type Unit,
} from '../../domain/enums';

export class IndustryListResponseDto {
  @ApiProperty({
    description: 'Industry keys.',
    enum: INDUSTRY_KEYS,
    isArray: true,
    example: INDUSTRY_KEYS,
  })
  industries: string[];

  @ApiProperty({
    description: 'Number of industries.',
    example: INDUSTRY_KEYS.length,
  })
  count: number;
}

export class ValidRangeDto {
  @ApiProperty({
    description: 'Smallest value a business can have.',
    example: -10,
  })
  min: number;

  @ApiProperty({
    description: 'Largest value a business can have.',
    example: 1,
  })
  max: number;
}

export class MetricDefinitionDto {
  @ApiProperty({
    description: 'Metric name, as used in requests.',
    example: 'profit_margin',
  })
  name: string;

  @ApiProperty({
    description: 'Human-readable name.',
    example: 'Net profit margin',
  })
  label: string;

  @ApiProperty({
    description:
      'Unit of values: `fraction` is a decimal share (0.10 means 10%).',
    enum: UNITS,
    example: 'fraction',
  })
  unit: Unit;

  @ApiProperty({
    description: 'Whether higher or lower values are better.',
    enum: DIRECTIONS,
    example: 'higher_is_better',
  })
  direction: Direction;

  @ApiProperty({
    description: 'What the metric measures and how to read it.',
    example:
      'Pre-tax net income as a share of revenue, owner pay normalised as private-company benchmarks do. Can be negative.',
  })
  description: string;

  @ApiProperty({
    description: 'How to compute it from your books.',
    example: 'pre-tax net income / revenue',
  })
  formula: string;

  @ApiProperty({
    description:
      'Values a business can have; /compare refuses others with 400 (a fraction sent as a percent, for example).',
    type: ValidRangeDto,
  })
  valid_range: ValidRangeDto;

  @ApiProperty({
    description:
      'Who publishes the benchmark: `bls` (US Bureau of Labor Statistics), `census` (US Census Bureau) or `synthetic` (modelled). A real metric is served as a labelled synthetic stand-in where its source has no figure.',
    enum: METRIC_SOURCES,
    example: 'synthetic',
  })
  source: MetricSourceName;

  @ApiProperty({
    description:
      'The statistical program the figures come from, as sentences name it; null for a synthetic metric.',
    type: String,
    nullable: true,
    example: 'Census Annual Business Survey',
  })
  program: string | null;

  @ApiProperty({
    description:
      'True where no primary source publishes the metric for small businesses (customer acquisition cost, customer retention): its benchmarks are illustrative, and its series say so in metadata.illustrative_note.',
    example: false,
  })
  illustrative: boolean;

  @ApiProperty({
    description: 'How often the benchmark is published.',
    enum: FREQUENCIES,
    example: 'monthly',
  })
  frequency: Frequency;

  @ApiProperty({
    description:
      '`percentiles` (10th-90th, value = median) or `mean` (a mean only: no percentiles, no rank).',
    enum: STATISTICS,
    example: 'percentiles',
  })
  statistic: Statistic;
}

export class CompanySizeRangeDto {
  @ApiProperty({
    description: 'Company size class.',
    enum: COMPANY_SIZES,
    example: 'medium',
  })
  company_size: CompanySize;

  @ApiProperty({
    description: 'Fewest employees of a business in the class.',
    example: 20,
  })
  min_employees: number;

  @ApiProperty({
    description: 'Most employees of a business in the class.',
    example: 99,
  })
  max_employees: number;
}

export class IndustryDetailResponseDto {
  @ApiProperty({ description: 'Industry key.', example: 'retail' })
  key: string;

  @ApiProperty({ description: 'Display name.', example: 'Retail Trade' })
  name: string;

  @ApiProperty({
    description: 'NAICS sector or subsector code(s) the industry stands for.',
    example: '44-45',
  })
  naics_code: string;

  @ApiProperty({
    description: 'What businesses the industry covers.',
    example: 'Stores and online sellers of goods to consumers.',
  })
  description: string;

  @ApiProperty({
    description: 'The metrics benchmarked for this industry.',
    type: [MetricDefinitionDto],
  })
  metrics: MetricDefinitionDto[];

  @ApiProperty({
    description: 'Company size classes available.',
    enum: COMPANY_SIZES,
    isArray: true,
    example: COMPANY_SIZES,
  })
  company_sizes: CompanySize[];

  @ApiProperty({
    description:
      'What each company size means, in employees (all three are small businesses by the SBA cut-off of 500). Census figures sum the size classes within each range; BLS publishes no size classes (its figures are the same for every size).',
    type: [CompanySizeRangeDto],
  })
  company_size_ranges: CompanySizeRangeDto[];

  @ApiProperty({
    description: 'Regions available.',
    enum: REGIONS,
    isArray: true,
    example: REGIONS,
  })
  regions: Region[];
}

export class MetricsResponseDto {
  @ApiProperty({ description: 'Industry key.', example: 'retail' })
  industry: string;

  @ApiProperty({
    description: 'Metric names, in catalog order.',
    type: [String],
    example: ['revenue_per_employee', 'profit_margin'],
  })
  metrics: string[];

  @ApiProperty({ description: 'Number of metrics.', example: 6 })
  count: number;

  @ApiProperty({
    description: 'Definition of each metric, in the same order.',
    type: [MetricDefinitionDto],
  })
  definitions: MetricDefinitionDto[];
}

export function toMetricDefinitionResponse(
  metric: MetricDefinition,
): MetricDefinitionDto {
  return {
    name: metric.name,
    label: metric.label,
    unit: metric.unit,
    direction: metric.direction,
    description: metric.description,
    formula: metric.formula,
    valid_range: { min: metric.validRange.min, max: metric.validRange.max },
    source: metric.source,
    frequency: metric.frequency,
    statistic: metric.statistic,
    program: metric.program ?? null,
    illustrative: metric.illustrative !== undefined,
  };
}

export function toIndustryDetailResponse(
  industry: IndustryDefinition,
  metrics: readonly MetricDefinition[],
): IndustryDetailResponseDto {
  return {
    key: industry.key,
    name: industry.name,
    naics_code: industry.naicsCode,
    description: industry.description,
    metrics: metrics.map(toMetricDefinitionResponse),
    company_sizes: [...COMPANY_SIZES],
    company_size_ranges: COMPANY_SIZES.map((size) => ({
      company_size: size,
      min_employees: COMPANY_SIZE_EMPLOYEES[size].min,
      max_employees: COMPANY_SIZE_EMPLOYEES[size].max,
    })),
    regions: [...REGIONS],
  };
}

export function toMetricsResponse(
  industry: IndustryDefinition,
  metrics: readonly MetricDefinition[],
): MetricsResponseDto {
  const definitions = metrics.map(toMetricDefinitionResponse);
  return {
    industry: industry.key,
    metrics: definitions.map((d) => d.name),
    count: definitions.length,
    definitions,
  };
}
