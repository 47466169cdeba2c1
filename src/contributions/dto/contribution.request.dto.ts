import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsIsoCalendarDate } from '../../common/validators/date.validators';
import {
  ValidateProblems,
  ValidateWith,
} from '../../common/validators/validate-with.decorator';
import {
  MAX_USER_VALUES,
  valuesMapProblems,
} from '../../common/validators/values-map';
import { INDUSTRY_KEYS } from '../../domain/catalog';
import { TenantIdParamDto } from '../../tenants/dto/tenant.request.dto';
import {
  COMPANY_SIZES,
  REGIONS,
  type CompanySize,
  type Region,
} from '../../domain/enums';

/** Most records one batch may hold. */
export const MAX_BATCH_RECORDS = 1000;

/** A business reference: the tenant's own opaque id of the business, safe in a URL path. */
export const BUSINESS_REF = /^[A-Za-z0-9._~:@-]{1,100}$/;
const BUSINESS_REF_MESSAGE =
  'business_ref must be 1-100 characters of letters, digits and . _ ~ : @ - (your own id of the business; it is stored only as a keyed hash)';
const REGIONS_OF_BUSINESSES = REGIONS.filter((r) => r !== 'national');

function IsContributedValues(): PropertyDecorator {
  return ValidateProblems('isContributedValues', (value) =>
    valuesMapProblems('values', value),
  );
}

/** The business and month of PUT /contributions/{business_ref}/{period}. */
export class ContributionPathDto {
  @ApiProperty({
    description:
      'Your own reference of the business (any opaque id: 1-100 letters, digits and . _ ~ : @ -). The service keeps only a keyed hash of it, scoped to your tenant.',
    example: 'acct-000123',
  })
  @Matches(BUSINESS_REF, { message: BUSINESS_REF_MESSAGE })
  @IsString()
  business_ref: string;

  @ApiProperty({
    description:
      'The month the figures are for: any date in it, YYYY-MM-DD, from 2000-01-01 to the last complete month.',
    format: 'date',
    example: '2024-12-01',
  })
  @IsIsoCalendarDate()
  period: string;
}

/** The business of GET and DELETE /contributions/{business_ref}. */
export class BusinessRefParamDto {
  @ApiProperty({
    description: 'Your own reference of the business, as you contributed it.',
    example: 'acct-000123',
  })
  @Matches(BUSINESS_REF, { message: BUSINESS_REF_MESSAGE })
  @IsString()
  business_ref: string;
}

/** A tenant's business, for the admin: GET and DELETE /admin/tenants/{tenant_id}/contributions/{business_ref}. */
export class TenantBusinessParamDto extends IntersectionType(
  TenantIdParamDto,
  BusinessRefParamDto,
) {}

/** One business's figures for one month (the body of PUT /contributions/{business_ref}/{period}). */
export class ContributionRequestDto {
  @ApiProperty({
    description:
      'Industry key of the business (GET /api/benchmarks/industries). An unknown key gives 404.',
    enum: INDUSTRY_KEYS,
    example: 'retail',
  })
  @MaxLength(100)
  @IsNotEmpty()
  @IsString()
  industry: string;

  @ApiProperty({
    description:
      'Company size class of the business in that month, in employees: `small` 1-19, `medium` 20-99, `large` 100-499.',
    enum: COMPANY_SIZES,
    example: 'small',
  })
  @IsIn(COMPANY_SIZES)
  company_size: CompanySize;

  @ApiProperty({
    description:
      "The business's US region (not `national`: national cells are computed from every region).",
    enum: REGIONS_OF_BUSINESSES,
    example: 'midwest',
  })
  @IsIn(REGIONS)
  region: Region;

  @ApiProperty({
    description:
      "The business's values for the month, metric name -> number, in each metric's unit (fractions as decimals), each within the metric's valid_range (GET /api/benchmarks/metrics/{industry}). At most 50. The latest value sent wins per metric and month; metrics not sent keep their earlier values (all are replaced when the industry changes).",
    type: 'object',
    minProperties: 1,
    maxProperties: MAX_USER_VALUES,
    additionalProperties: { type: 'number' },
    example: { profit_margin: 0.062, revenue_per_employee: 171000 },
  })
  // Taken as parsed (class-transformer would skip keys named like Object.prototype members).
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.values)
  @IsContributedValues()
  values: Record<string, number>;
}

/** One record of a batch: a contribution with its business and month. */
export class ContributionRecordDto extends ContributionRequestDto {
  @ApiProperty({
    description: 'Your own reference of the business.',
    example: 'acct-000123',
  })
  @Matches(BUSINESS_REF, { message: BUSINESS_REF_MESSAGE })
  @IsString()
  business_ref: string;

  @ApiProperty({
    description: 'Any date in the month the figures are for, YYYY-MM-DD.',
    format: 'date',
    example: '2024-12-01',
  })
  @IsIsoCalendarDate()
  period: string;
}

function recordsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value))
    return 'records must be an array of contributions: [{business_ref, period, industry, company_size, region, values}, ...]';
  if (value.length === 0) return 'records must hold at least one contribution';
  if (value.length > MAX_BATCH_RECORDS)
    return `records may hold at most ${MAX_BATCH_RECORDS} contributions (got ${value.length}): send several batches`;
  return undefined;
}

/** POST /contributions/batch: up to 1,000 contributions stored together, or none. */
export class ContributionBatchRequestDto {
  @ApiProperty({
    description: `1 to ${MAX_BATCH_RECORDS} contributions, stored in one transaction: all or none. A record for the same business and month as an earlier one in the batch wins over it, as a later PUT would.`,
    type: [ContributionRecordDto],
    minItems: 1,
    maxItems: MAX_BATCH_RECORDS,
  })
  // Each record is validated by the service (every record's problems in one 400), so the array is taken as sent.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.records)
  @ValidateWith(
    'isContributionRecords',
    (value) => recordsProblem(value) === undefined,
    (args) => recordsProblem(args.value)!,
  )
  records: unknown[];
}
