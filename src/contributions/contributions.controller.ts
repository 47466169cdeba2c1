import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/dto/error.response.dto';
import { ApiRateLimited } from '../common/swagger/api-rate-limited.decorator';
import {
  ApiJsonBodyLimits,
  ApiPathParamTooLong,
} from '../common/swagger/api-write-errors.decorator';
import { CurrentTenant, TenantKeyGuard } from '../tenants/tenant-key.guard';
import type { Tenant } from '../tenants/tenants.repository';
import { ContributionsService } from './contributions.service';
import {
  BusinessRefParamDto,
  ContributionBatchRequestDto,
  ContributionPathDto,
  ContributionRequestDto,
  MAX_BATCH_RECORDS,
} from './dto/contribution.request.dto';
import {
  BusinessContributionsResponseDto,
  ContributionBatchResponseDto,
  ContributionStoredResponseDto,
  ErasureResponseDto,
  toBusinessContributions,
  toErasureResponse,
  toStoredMonth,
} from './dto/contribution.response.dto';

/** The path of the batch endpoint, whose body may be larger than the service's limit (see app.setup.ts). */
export const BATCH_PATH = 'contributions/batch';

/**
 * Contributions: a tenant's businesses' monthly figures, from which peer percentiles are published once a cell has
 * enough businesses. Every endpoint needs a tenant key and sees that tenant's businesses only.
 */
@ApiTags('contributions')
@ApiRateLimited()
@ApiBearerAuth('tenant-key')
@ApiUnauthorizedResponse({
  type: ErrorResponseDto,
  description:
    'No tenant key, or one that is unknown, rotated away or revoked.',
})
@ApiServiceUnavailableResponse({
  type: ErrorResponseDto,
  description:
    'The database is unavailable: nothing was stored or erased. Retry after the seconds in Retry-After (a retry is safe: storing is idempotent).',
})
@UseGuards(TenantKeyGuard)
@Controller('contributions')
export class ContributionsController {
  constructor(private readonly contributions: ContributionsService) {}

  @Put(':business_ref/:period')
  @ApiOperation({
    summary: "Store a business's figures for a month",
    description:
      'Stores the values for the month of `period` under your reference of the business: the latest value wins per metric and month, so a retry is harmless. Validated as /compare validates values. The answer is the month as stored, after the commit.',
  })
  @ApiOkResponse({ type: ContributionStoredResponseDto })
  @ApiJsonBodyLimits()
  @ApiPathParamTooLong('business_ref or period')
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description:
      'A field is missing or invalid, a value is outside its valid_range, the month is not served, or the region is national.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Unknown industry, or a metric the industry does not have.',
  })
  async putContribution(
    @CurrentTenant() tenant: Tenant,
    @Param() params: ContributionPathDto,
    @Body() body: ContributionRequestDto,
  ): Promise<ContributionStoredResponseDto> {
    const month = await this.contributions.put(
      tenant,
      params.business_ref,
      params.period,
      body,
    );
    return { business_ref: params.business_ref, ...toStoredMonth(month) };
  }

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Store up to 1,000 contributions at once',
    description: `Stores up to ${MAX_BATCH_RECORDS} records in one transaction: all of them or, when any is refused, none (the 400 lists every record's problems as records[i].field). Each record is checked as PUT checks one. Bodies up to 4 MiB.`,
  })
  @ApiOkResponse({ type: ContributionBatchResponseDto })
  @ApiJsonBodyLimits('Body over 4 MiB: send smaller batches.')
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description:
      "Records refused; each message starts with the record's index.",
  })
  async putContributionBatch(
    @CurrentTenant() tenant: Tenant,
    @Body() body: ContributionBatchRequestDto,
  ): Promise<ContributionBatchResponseDto> {
    const result = await this.contributions.batch(tenant, body.records);
    return {
      stored: result.stored,
      businesses: result.businesses,
      values: result.values,
      received_at: result.receivedAt.toISOString(),
    };
  }

  @Get(':business_ref')
  @ApiOperation({
    summary: 'Export what is stored for a business',
    description:
      'Every month stored for the business under your tenant, with its raw values: shown to you only. 404 when nothing is stored under your tenant (whatever other tenants hold).',
  })
  @ApiOkResponse({ type: BusinessContributionsResponseDto })
  @ApiPathParamTooLong('business_ref')
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'business_ref is malformed.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Nothing stored for the business under your tenant.',
  })
  async exportContributions(
    @CurrentTenant() tenant: Tenant,
    @Param() params: BusinessRefParamDto,
  ): Promise<BusinessContributionsResponseDto> {
    const months = await this.contributions.export(
      tenant.tenantId,
      params.business_ref,
    );
    return toBusinessContributions(params.business_ref, months);
  }

  @Delete(':business_ref')
  @ApiOperation({
    summary: 'Erase a business',
    description:
      'Erases everything stored for the business under your tenant, committed before the answer, at once (a running publication does not hold it up). Publications made before keep their aggregates until replaced; the answer names the first publication without the business: the running one when it can still leave it out, else the next.',
  })
  @ApiOkResponse({ type: ErasureResponseDto })
  @ApiPathParamTooLong('business_ref')
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'business_ref is malformed.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Nothing stored for the business under your tenant.',
  })
  async eraseContributions(
    @CurrentTenant() tenant: Tenant,
    @Param() params: BusinessRefParamDto,
  ): Promise<ErasureResponseDto> {
    const erasure = await this.contributions.erase(
      tenant.tenantId,
      params.business_ref,
    );
    return toErasureResponse(params.business_ref, erasure);
  }
}
