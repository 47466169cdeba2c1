import { IsOmittable } from '../../common/validators/optional.validators';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { IsIsoCalendarDate } from '../../common/validators/date.validators';
import { ValidateProblems } from '../../common/validators/validate-with.decorator';
import { PeerGroupRequestDto } from '../../common/dto/peer-group.request.dto';

import {
  MAX_USER_VALUES,
  valuesMapProblems,
} from '../../common/validators/values-map';

/** Why `value` is not a valid `user_values` map: every problem, or none. */
export function userValuesProblems(value: unknown): string[] {
  return valuesMapProblems('user_values', value);
}

function IsUserValues(): PropertyDecorator {
  return ValidateProblems('isUserValues', userValuesProblems);
}

export class CompareRequestDto extends PeerGroupRequestDto {
  @ApiProperty({
    description:
      "Your business's values, metric name -> number, in each metric's unit (fractions as decimals: 0.10 for 10%). At least one; unknown metric names give 404.",
    type: 'object',
    minProperties: 1,
    maxProperties: MAX_USER_VALUES,
    additionalProperties: { type: 'number' },
    example: { revenue_per_employee: 180000, profit_margin: 0.1 },
  })
  // class-transformer would copy this map key by key and silently skip keys that name Object.prototype methods
  // ("toString", "valueOf", ...). The raw parsed object is taken as it is, so every key reaches validation.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.user_values)
  @IsUserValues()
  user_values: Record<string, number>;

  @ApiPropertyOptional({
    description:
      'Compare against this month (any date in it, YYYY-MM-DD), from 2000-01-01 to the last complete month. Default: the last complete month.',
    format: 'date',
    example: '2024-12-01',
  })
  @IsOmittable()
  @IsIsoCalendarDate()
  period?: string;

  @ApiPropertyOptional({
    description:
      "Compare with peers' seasonally adjusted (deseasonalised) figures for the month instead of that calendar month's own distribution; send your own value seasonally adjusted too. Results say `seasonally_adjusted: true` when the benchmark could be adjusted; a source that cannot adjust a metric (BLS QCEW quarters) compares with the unadjusted figure and says so in `warnings`. Default false: the same calendar month's distribution, which carries that month's season.",
    default: false,
    example: false,
  })
  @IsOmittable()
  @IsBoolean()
  seasonally_adjusted?: boolean;
}
