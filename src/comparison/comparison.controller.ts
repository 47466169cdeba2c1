import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiOkJsonOrCsv } from '../common/swagger/api-ok-json-or-csv.decorator';
import { AnswerWith } from '../http/answer-interceptors';
import { comparisonToCsv, scorecardToCsv } from './dto/comparison.csv';
import { DATA_WARNINGS_HEADER_DOC } from '../common/swagger/data-warnings-header.doc';
import { ApiJsonBodyErrors } from '../common/swagger/api-json-body-errors.decorator';
import { DEFAULT_COMPANY_SIZE, DEFAULT_REGION } from '../domain/enums';
import { ComparisonService } from './comparison.service';
import { ScorecardRequestDto } from './dto/scorecard.request.dto';
import { TrajectoryRequestDto } from './dto/trajectory.request.dto';
import {
  TrajectoryDto,
  toTrajectoryResponse,
} from './dto/trajectory.response.dto';
import {
  ScorecardResponseDto,
  toScorecardResponse,
} from './dto/scorecard.response.dto';
import { CompareRequestDto } from './dto/compare.request.dto';
import {
  ComparisonResultDto,
  toComparisonResponse,
} from './dto/comparison.response.dto';
import { ApiRateLimited } from '../common/swagger/api-rate-limited.decorator';

@ApiTags('comparison')
@ApiRateLimited()
@Controller()
export class ComparisonController {
  constructor(private readonly comparison: ComparisonService) {}

  @Post('compare')
  @HttpCode(200)
  @ApiOperation({
    summary: "Compare a business's values with its peers",
    description:
      'For each metric in user_values: the peer median, the difference, the percentile rank with its plausible range and a confidence, the values that reach the 50th/75th/90th performance percentile, an interpretation that knows whether higher or lower is better, and a plain-language sentence. Small samples fall back to broader peer groups; seasonally_adjusted compares with deseasonalised figures. With `Accept: text/csv`: CSV, one row per result.',
  })
  @ApiOkJsonOrCsv({
    type: ComparisonResultDto,
    isArray: true,
    description:
      'JSON by default; with `Accept: text/csv` (preferred to application/json) a CSV document (RFC 4180): a header row of the result fields, targets flattened as target_50_value, target_50_change, ... and rank_interval as rank_interval_low/high, peer_group as peer_company_size, peer_region, peer_fallback, warnings joined by " | "; one row per result. Any other Accept gets JSON.',
    headers: DATA_WARNINGS_HEADER_DOC,
  })
  @ApiJsonBodyErrors(
    'Invalid field: empty or non-numeric user_values, bad enum value, malformed or out-of-range period, unknown field, malformed JSON.',
  )
  @AnswerWith<ComparisonResultDto[]>({
    warnings: (results) => results.flatMap((r) => r.warnings),
    csv: comparisonToCsv,
  })
  async compare(
    @Body() body: CompareRequestDto,
  ): Promise<ComparisonResultDto[]> {
    const results = await this.comparison.compare({
      industry: body.industry,
      companySize: body.company_size ?? DEFAULT_COMPANY_SIZE,
      region: body.region ?? DEFAULT_REGION,
      userValues: body.user_values,
      period: body.period,
      seasonallyAdjusted: body.seasonally_adjusted,
    });
    return results.map(toComparisonResponse);
  }

  @Post('scorecard')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Score a business across its metrics',
    description:
      "The compare request's body plus optional weights and audience: the comparison results, an overall score (weighted mean of performance percentiles, 0-100), the weights used, the strongest and weakest metrics and a short summary for the owner or an advisor. With `Accept: text/csv`: CSV, one row per result.",
  })
  @ApiOkJsonOrCsv({
    type: ScorecardResponseDto,
    isArray: false,
    description:
      'JSON by default; with `Accept: text/csv` (preferred to application/json) the /compare CSV rows, each with weight, performance_percentile and overall_score columns (the summary is JSON only). Any other Accept gets JSON.',
    headers: DATA_WARNINGS_HEADER_DOC,
  })
  @ApiJsonBodyErrors(
    'Invalid field: as for /compare, and weights naming a metric not in user_values, a negative, non-finite or non-numeric weight, all weights 0 (or only metrics without percentiles weighted), or an unknown audience.',
  )
  @AnswerWith<ScorecardResponseDto>({
    warnings: (card) => card.results.flatMap((r) => r.warnings),
    csv: scorecardToCsv,
  })
  async scorecard(
    @Body() body: ScorecardRequestDto,
  ): Promise<ScorecardResponseDto> {
    const audience = body.audience ?? 'owner';
    const { card, results } = await this.comparison.scorecard({
      industry: body.industry,
      companySize: body.company_size ?? DEFAULT_COMPANY_SIZE,
      region: body.region ?? DEFAULT_REGION,
      userValues: body.user_values,
      period: body.period,
      seasonallyAdjusted: body.seasonally_adjusted,
      weights: body.weights ?? {},
      audience,
    });
    return toScorecardResponse(card, audience, results);
  }

  @Post('compare/trajectory')
  @HttpCode(200)
  @ApiOperation({
    summary: "Compare a business's values over time with its peers",
    description:
      "For each metric of user_series: every period compared with that month's benchmark (as /compare would), oldest first, the change of percentile rank from the first period to the last, and the growth of your value and of the benchmark over the same span.",
  })
  @ApiOkResponse({
    type: [TrajectoryDto],
    headers: DATA_WARNINGS_HEADER_DOC,
  })
  @ApiJsonBodyErrors(
    "Invalid field, named as user_series.<metric>[i].period or .value: fewer than 2 or more than 120 points, more than 10 metrics, a malformed or impossible date, two points in one month, a month outside 2000-01 .. the last complete month, periods spanning over 120 months, a non-finite value or one outside the metric's valid_range; bad enum values, unknown fields, malformed JSON.",
  )
  @AnswerWith<TrajectoryDto[]>({
    warnings: (trajectories) => trajectories.flatMap((t) => t.warnings),
  })
  async trajectory(
    @Body() body: TrajectoryRequestDto,
  ): Promise<TrajectoryDto[]> {
    const trajectories = await this.comparison.trajectory({
      industry: body.industry,
      companySize: body.company_size ?? DEFAULT_COMPANY_SIZE,
      region: body.region ?? DEFAULT_REGION,
      userSeries: body.user_series,
      seasonallyAdjusted: body.seasonally_adjusted,
    });
    return trajectories.map(toTrajectoryResponse);
  }
}
