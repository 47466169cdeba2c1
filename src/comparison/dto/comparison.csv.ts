import { toCsv, type CsvValue } from '../../common/csv';
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

/**
 * What /compare answers in CSV for `{"user_values": {"revenue_per_employee": 180000}, "industry": "retail", "period":
 * "2024-12-01"}`, for the OpenAPI document (an e2e test checks it is the real answer).
 */
export const COMPARE_CSV_EXAMPLE =
  `${COMPARE_CSV_HEADER.join(',')}\r\n` +
  'revenue_per_employee,180000,212892.41,-32892.41,-15.5,34.9,30,40.2,high,average,121623.17,158559.34,212892.41,285843.63,372652.49,338,higher_is_better,usd,synthetic,retail,medium,national,medium,national,false,2024-12-01,2024-12-01,same_month,false,212892.41,32892.41,285843.63,105843.63,372652.49,192652.49,"Your revenue per employee of $180,000 is 15.5% lower than the median of $212,892 for medium-sized retail businesses nationally. That is about the 35th percentile: you do better than about 35% of peers. Rating: average, within the middle half of your peers. Next target: +$32,892 revenue per employee to reach the median (the 50th percentile of performance, $212,892). Compared with peers\' figures for December 2024, the same month, so both carry that month\'s season.",' +
  '\r\n';

/** What /scorecard answers in CSV for the same body (the OpenAPI document's example, checked by an e2e test). */
export const SCORECARD_CSV_EXAMPLE =
  `${SCORECARD_CSV_HEADER.join(',')}\r\n` +
  'revenue_per_employee,180000,212892.41,-32892.41,-15.5,34.9,30,40.2,high,average,121623.17,158559.34,212892.41,285843.63,372652.49,338,higher_is_better,usd,synthetic,retail,medium,national,medium,national,false,2024-12-01,2024-12-01,same_month,false,212892.41,32892.41,285843.63,105843.63,372652.49,192652.49,"Your revenue per employee of $180,000 is 15.5% lower than the median of $212,892 for medium-sized retail businesses nationally. That is about the 35th percentile: you do better than about 35% of peers. Rating: average, within the middle half of your peers. Next target: +$32,892 revenue per employee to reach the median (the 50th percentile of performance, $212,892). Compared with peers\' figures for December 2024, the same month, so both carry that month\'s season.",,1,34.9,34.9' +
  '\r\n';
