import { IsOmittable } from '../validators/optional.validators';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import {
  COMPANY_SIZES,
  DEFAULT_COMPANY_SIZE,
  DEFAULT_REGION,
  REGIONS,
  type CompanySize,
  type Region,
} from '../../domain/enums';
import { INDUSTRY_KEYS } from '../../domain/catalog';

/** The peer-group fields the data and compare requests share. */
export class PeerGroupRequestDto {
  @ApiProperty({
    description:
      'Industry key (see GET /api/benchmarks/industries). An unknown key gives 404.',
    enum: INDUSTRY_KEYS,
    example: 'retail',
  })
  @MaxLength(100)
  @IsNotEmpty()
  @IsString()
  industry: string;

  @ApiPropertyOptional({
    description:
      'Company size class of the peer group, in employees: `small` 1-19, `medium` 20-99, `large` 100-499 (GET /industries/{industry} lists them in company_size_ranges).',
    enum: COMPANY_SIZES,
    default: DEFAULT_COMPANY_SIZE,
    example: 'medium',
  })
  @IsOmittable()
  @IsIn(COMPANY_SIZES)
  company_size?: CompanySize;

  @ApiPropertyOptional({
    description:
      'US region of the peer group; `national` is the whole country.',
    enum: REGIONS,
    default: DEFAULT_REGION,
    example: 'national',
  })
  @IsOmittable()
  @IsIn(REGIONS)
  region?: Region;
}
