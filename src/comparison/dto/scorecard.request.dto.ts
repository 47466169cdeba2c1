import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn } from 'class-validator';
import { IsOmittable } from '../../common/validators/optional.validators';
import { ValidateProblems } from '../../common/validators/validate-with.decorator';
import {
  AUDIENCES,
  type Audience,
  weightsProblems,
} from '../../domain/scorecard';
import { MAX_USER_VALUES } from '../../common/validators/values-map';
import { CompareRequestDto } from './compare.request.dto';

/** The metric names of the sibling user_values, when it is a map (its own problems are reported on it). */
function userValueNames(object: object): string[] {
  const values = (object as { user_values?: unknown }).user_values;
  return typeof values === 'object' && values !== null && !Array.isArray(values)
    ? Object.keys(values)
    : [];
}

function IsWeights(): PropertyDecorator {
  return ValidateProblems('isWeights', (value, args) =>
    weightsProblems(value, userValueNames(args.object)),
  );
}

export class ScorecardRequestDto extends CompareRequestDto {
  @ApiPropertyOptional({
    description:
      'How much each metric counts in overall_score: metric name -> finite number >= 0. Only metrics of user_values; the ones left out count 1; not all 0. Metrics without percentiles (means) cannot be scored and count 0.',
    type: 'object',
    maxProperties: MAX_USER_VALUES,
    additionalProperties: { type: 'number', minimum: 0 },
    example: { revenue_per_employee: 2, profit_margin: 1 },
  })
  // Taken raw, as user_values is, so that keys naming Object.prototype members reach validation.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.weights)
  @IsOmittable()
  @IsWeights()
  weights?: Record<string, number>;

  @ApiPropertyOptional({
    description:
      'Who the summary speaks to: `owner` in plain words, `advisor` in performance percentiles, rank intervals, confidence and peer groups.',
    enum: AUDIENCES,
    default: 'owner',
    example: 'owner',
  })
  @IsOmittable()
  @IsIn(AUDIENCES)
  audience?: Audience;
}
