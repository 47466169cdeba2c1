import { toCsv, type CsvValue } from '../../common/csv/csv';
import { performancePercentile } from '../../domain/interpretation';
import { TARGET_PERCENTILES } from '../../domain/targets';
import type { ComparisonResultDto } from './comparison.response.dto';
import type { ScorecardResponseDto } from './scorecard.response.dto';

export const COMPARE_CSV_HEADER = [
  'metric_name',
  'user_value',
  'benchmark_value',
  'difference',
  'percentage_difference',
  'percentile_rank',
  'rank_interval_low',
  'rank_interval_high',
  'confidence',
  'interpretation',
  'percentile_10',
  'percentile_25',
  'percentile_50',
  'percentile_75',
  'percentile_90',
  'sample_size',
  'direction',
  'unit',
  'source',
  'industry',
  'company_size',
  'region',
  'peer_company_size',
  'peer_region',
  'peer_fallback',
  'period',
  'benchmark_period',
  'comparison_basis',
  'seasonally_adjusted',
  ...TARGET_PERCENTILES.flatMap((p) => [
    `target_${p}_value`,
    `target_${p}_change`,
  ]),
  'interpretation_text',
  'warnings',
];

function resultRow(r: ComparisonResultDto): CsvValue[] {
  const target = (p: number) => r.targets.find((t) => t.percentile === p);
  return [
    r.metric_name,
    r.user_value,
    r.benchmark_value,
    r.difference,
    r.percentage_difference,
    r.percentile_rank,
    r.rank_interval?.[0] ?? null,
    r.rank_interval?.[1] ?? null,
    r.confidence,
    r.interpretation,
    r.percentile_10,
    r.percentile_25,
    r.percentile_50,
    r.percentile_75,
    r.percentile_90,
    r.sample_size,
    r.direction,
    r.unit,
    r.source,
    r.industry,
    r.company_size,
    r.region,
    r.peer_group.company_size,
    r.peer_group.region,
    r.peer_group.fallback,
    r.period,
    r.benchmark_period,
    r.comparison_basis,
    r.seasonally_adjusted,
    ...TARGET_PERCENTILES.flatMap((p) => [
      target(p)?.value ?? null,
      target(p)?.change ?? null,
    ]),
    r.interpretation_text,
    r.warnings.join(' | '),
  ];
}

/** /compare as CSV: one row per comparison result; targets flattened, warnings joined by " | ". */
export function comparisonToCsv(
  results: readonly ComparisonResultDto[],
): string {
  return toCsv(COMPARE_CSV_HEADER, results.map(resultRow));
}

export const SCORECARD_CSV_HEADER = [
  ...COMPARE_CSV_HEADER,
  'weight',
  'performance_percentile',
  'overall_score',
];

/**
 * /scorecard as CSV: the /compare rows, each with its weight, its performance percentile (empty without a rank) and
 * the overall score (the same on every row). The summary is JSON-only.
 */
export function scorecardToCsv(card: ScorecardResponseDto): string {
  return toCsv(
    SCORECARD_CSV_HEADER,
    card.results.map((r) => [
      ...resultRow(r),
      card.weights[r.metric_name] ?? null,
      r.percentile_rank === null
        ? null
        : performancePercentile(r.percentile_rank, r.direction),
      card.overall_score,
    ]),
  );
}
