import { ApiProperty } from '@nestjs/swagger';
import { COMPANY_SIZES, REGIONS } from '../../domain/enums';
import type { Erasure, StoredMonth } from '../contributions.repository';

/** A month of one business's figures, as stored. */
export class StoredMonthDto {
  @ApiProperty({
    format: 'date',
    description: 'The first day of the month.',
    example: '2024-12-01',
  })
  period: string;

  @ApiProperty({
    description: 'Industry key of the business in that month.',
    example: 'retail',
  })
  industry: string;

  @ApiProperty({
    enum: COMPANY_SIZES,
    description: 'Company size class of the business in that month.',
    example: 'small',
  })
  company_size: string;

  @ApiProperty({
    enum: REGIONS,
    description: "The business's region.",
    example: 'midwest',
  })
  region: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description:
      'Every metric stored for the month (this and earlier contributions).',
    example: { profit_margin: 0.062, revenue_per_employee: 171000 },
  })
  values: Record<string, number>;

  @ApiProperty({
    format: 'date-time',
    description: 'When the month was last written.',
    example: '2025-01-10T09:30:00.000Z',
  })
  received_at: string;
}

/** The answer to PUT /contributions/{business_ref}/{period}: the month as now stored (committed). */
export class ContributionStoredResponseDto extends StoredMonthDto {
  @ApiProperty({
    description: 'Your reference of the business, as sent.',
    example: 'acct-000123',
  })
  business_ref: string;
}

/** The answer to POST /contributions/batch (committed, every record). */
export class ContributionBatchResponseDto {
  @ApiProperty({ description: 'Records stored.', example: 40 })
  stored: number;

  @ApiProperty({ description: 'Distinct businesses among them.', example: 40 })
  businesses: number;

  @ApiProperty({
    description: 'Values stored (metric x month x business).',
    example: 80,
  })
  values: number;

  @ApiProperty({
    format: 'date-time',
    description: 'When the batch was committed.',
    example: '2025-01-10T09:30:00.000Z',
  })
  received_at: string;
}

/** GET /contributions/{business_ref}: everything stored for the business (its own tenant only). */
export class BusinessContributionsResponseDto {
  @ApiProperty({
    description: 'Your reference of the business, as sent.',
    example: 'acct-000123',
  })
  business_ref: string;

  @ApiProperty({
    type: [StoredMonthDto],
    description: 'Every month stored, oldest first.',
  })
  contributions: StoredMonthDto[];

  @ApiProperty({ description: 'Months stored.', example: 1 })
  count: number;
}

/** DELETE /contributions/{business_ref}: what was erased, and from which publication it shows. */
export class ErasureResponseDto {
  @ApiProperty({
    description: 'Your reference of the business, as sent.',
    example: 'acct-000123',
  })
  business_ref: string;

  @ApiProperty({ description: 'Months erased.', example: 12 })
  erased_months: number;

  @ApiProperty({ description: 'Values erased.', example: 24 })
  erased_values: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'The publication current at the erasure (it may still hold the business in its aggregates); null if none yet.',
    example: 7,
  })
  current_publication_id: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'The publication running at the erasure, if any (the erasure did not wait for it); null if none.',
    example: 8,
  })
  running_publication_id: number | null;

  @ApiProperty({
    description:
      'The first publication without the business (publications are numbered in order): the running one when it will still leave the business out (it computes the erased months again before it becomes current), else the next one.',
    example: 8,
  })
  effective_from_publication_id: number;
}

/** DELETE /admin/tenants/{tenant_id}/contributions: every business of a tenant erased. */
export class TenantErasureResponseDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The tenant whose businesses were erased.',
    example: '0b7e3c1e-6a55-4c8e-9d43-2f0e8f1c9a10',
  })
  tenant_id: string;

  @ApiProperty({ description: 'Businesses erased.', example: 40 })
  erased_businesses: number;

  @ApiProperty({ description: 'Months erased.', example: 480 })
  erased_months: number;

  @ApiProperty({ description: 'Values erased.', example: 960 })
  erased_values: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'The publication current at the erasure (it may still hold the businesses in its aggregates); null if none yet.',
    example: 7,
  })
  current_publication_id: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'The publication running at the erasure, if any (the erasure did not wait for it); null if none.',
    example: null,
  })
  running_publication_id: number | null;

  @ApiProperty({
    description:
      "The first publication without any of the tenant's businesses (see DELETE /contributions/{business_ref}).",
    example: 8,
  })
  effective_from_publication_id: number;
}

export function toStoredMonth(month: StoredMonth): StoredMonthDto {
  return {
    period: month.period,
    industry: month.industry,
    company_size: month.companySize,
    region: month.region,
    values: month.values,
    received_at: month.receivedAt.toISOString(),
  };
}

export function toBusinessContributions(
  businessRef: string,
  months: readonly StoredMonth[],
): BusinessContributionsResponseDto {
  return {
    business_ref: businessRef,
    contributions: months.map(toStoredMonth),
    count: months.length,
  };
}

/** The publications an erasure names, as the wire says them. */
function publicationsOf(erasure: Erasure) {
  return {
    current_publication_id: erasure.currentPublicationId,
    running_publication_id: erasure.runningPublicationId,
    effective_from_publication_id: erasure.effectiveFromPublicationId,
  };
}

export function toErasureResponse(
  businessRef: string,
  erasure: Erasure,
): ErasureResponseDto {
  return {
    business_ref: businessRef,
    erased_months: erasure.months,
    erased_values: erasure.values,
    ...publicationsOf(erasure),
  };
}

export function toTenantErasureResponse(
  tenantId: string,
  erasure: Erasure,
): TenantErasureResponseDto {
  return {
    tenant_id: tenantId,
    erased_businesses: erasure.businesses,
    erased_months: erasure.months,
    erased_values: erasure.values,
    ...publicationsOf(erasure),
  };
}
