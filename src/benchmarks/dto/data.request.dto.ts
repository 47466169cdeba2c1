import { IsOmittable } from '../../common/validators/optional.validators';
import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsNotEmpty,
  IsString,
  MaxLength,
} from 'class-validator';
import {
  IsIsoCalendarDate,
  IsNotBefore,
} from '../../common/validators/date.validators';
import { PeerGroupRequestDto } from '../../common/dto/peer-group.request.dto';

export const MAX_METRICS_PER_REQUEST = 50;

export class DataRequestDto extends PeerGroupRequestDto {
  @ApiPropertyOptional({
    description:
      "Metric names (see GET /api/benchmarks/metrics/{industry}). Omit for all of the industry's metrics. An unknown name gives 404.",
    type: [String],
    maxItems: MAX_METRICS_PER_REQUEST,
    example: ['revenue_per_employee', 'profit_margin'],
  })
  // class-validator runs a property's decorators bottom-up: the type check sits next to the property so that,
  // with stopAtFirstError, it is the one reported.
  @IsOmittable()
  @MaxLength(100, { each: true })
  @IsNotEmpty({ each: true })
  @IsString({ each: true })
  @ArrayUnique()
  @ArrayMaxSize(MAX_METRICS_PER_REQUEST)
  @ArrayNotEmpty()
  @IsArray()
  metrics?: string[];

  @ApiPropertyOptional({
    description:
      'First month of the range: any date in it (YYYY-MM-DD). Not before 2000-01-01. Default: 11 months before end_date, so 12 months in all.',
    format: 'date',
    example: '2024-01-01',
  })
  @IsOmittable()
  @IsIsoCalendarDate()
  start_date?: string;

  @ApiPropertyOptional({
    description:
      'Last month of the range: any date in it (YYYY-MM-DD), not before start_date and not after the last complete month. At most 120 months in all. Default: the last complete month, or 11 months after start_date if that is earlier.',
    format: 'date',
    example: '2024-12-31',
  })
  @IsOmittable()
  @IsIsoCalendarDate()
  @IsNotBefore('start_date')
  end_date?: string;
}
