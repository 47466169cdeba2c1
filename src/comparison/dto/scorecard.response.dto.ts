import { ApiProperty } from '@nestjs/swagger';
import { METRIC_NAMES } from '../../domain/catalog';
import {
  AUDIENCES,
  type Audience,
  type Scorecard,
} from '../../domain/scorecard';
import type { ComparisonResult } from '../comparison.service';
import {
  ComparisonResultDto,
  toComparisonResponse,
} from './comparison.response.dto';

export class ScorecardResponseDto {
  @ApiProperty({
    description:
      'Weighted mean of the performance percentiles of the scored metrics (percentile_rank, or 100 - percentile_rank for lower-is-better metrics), 0-100, one decimal.',
    minimum: 0,
    maximum: 100,
    example: 41.1,
  })
  overall_score: number;

  @ApiProperty({
    description:
      'The weight each metric of user_values was given: as sent, 1 when not sent, 0 for a metric without percentiles (not scored).',
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { revenue_per_employee: 2, customer_acquisition_cost: 1 },
  })
  weights: Record<string, number>;

  @ApiProperty({
    description:
      'Weighted metrics at or above the median of performance (50), best first; at most 3.',
    type: [String],
    enum: METRIC_NAMES,
    example: ['customer_acquisition_cost'],
  })
  strongest: string[];

  @ApiProperty({
    description:
      'Weighted metrics below the median of performance (50), worst first; at most 3.',
    type: [String],
    enum: METRIC_NAMES,
    example: ['revenue_per_employee'],
  })
  weakest: string[];

  @ApiProperty({
    description:
      'Metrics without percentiles (a published mean only): compared, but not scored.',
    type: [String],
    enum: METRIC_NAMES,
    example: [],
  })
  unscored: string[];

  @ApiProperty({
    description: 'Who the summary speaks to.',
    enum: AUDIENCES,
    example: 'owner',
  })
  audience: Audience;

  @ApiProperty({
    description:
      'A short paragraph: plain words for the owner; performance percentiles, rank intervals, confidence and peer groups for the advisor.',
    example:
      'Overall you score 41 out of 100: on the measures you weighted, you do better than about 41% of businesses like yours. You are strongest in customer acquisition cost. Work on revenue per employee first: +$32,892 would bring you to the median.',
  })
  summary: string;

  @ApiProperty({
    description: 'The comparison results, as POST /compare gives them.',
    type: [ComparisonResultDto],
  })
  results: ComparisonResultDto[];
}

export function toScorecardResponse(
  card: Scorecard,
  audience: Audience,
  results: readonly ComparisonResult[],
): ScorecardResponseDto {
  return {
    overall_score: card.overallScore,
    weights: { ...card.weights },
    strongest: [...card.strongest],
    weakest: [...card.weakest],
    unscored: [...card.unscored],
    audience,
    summary: card.summary,
    results: results.map(toComparisonResponse),
  };
}
