import {
  applyDecorators,
  Controller,
  Delete,
  Get,
  Logger,
  NotFoundException,
  Param,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { API_PREFIX } from '../common/api-prefix';
import { ErrorResponseDto } from '../common/dto/error.response.dto';
import { ApiPathParamTooLong } from '../common/swagger/api-write-errors.decorator';
import { AdminEndpoints } from '../http/admin-endpoints.decorator';
import { TenantIdParamDto } from '../tenants/dto/tenant.request.dto';
import { TenantsRepository } from '../tenants/tenants.repository';
import { ContributionsService } from './contributions.service';
import { TenantBusinessParamDto } from './dto/contribution.request.dto';
import {
  BusinessContributionsResponseDto,
  ErasureResponseDto,
  TenantErasureResponseDto,
  toBusinessContributions,
  toErasureResponse,
  toTenantErasureResponse,
} from './dto/contribution.response.dto';

/** The errors of an endpoint on one business of a tenant. */
function ApiTenantBusinessErrors(): MethodDecorator {
  return applyDecorators(
    ApiPathParamTooLong('tenant_id or business_ref'),
    ApiBadRequestResponse({
      type: ErrorResponseDto,
      description: 'tenant_id is not a UUID, or business_ref is malformed.',
    }),
    ApiNotFoundResponse({
      type: ErrorResponseDto,
      description:
        'No such tenant, or nothing stored for the business under it.',
    }),
  );
}

/**
 * A tenant's contributions, for the admin: export and erase them whatever the tenant's state (a revoked tenant's key
 * is refused, so only the admin can act for it), each audited in the log with the tenant and the counts, never a
 * business reference or a value.
 */
@AdminEndpoints(
  'The database is unavailable; nothing was erased. Retry after the seconds in Retry-After.',
)
@Controller('admin/tenants/:tenant_id/contributions')
export class AdminContributionsController {
  private readonly audit = new Logger('Audit');

  constructor(
    private readonly contributions: ContributionsService,
    private readonly tenants: TenantsRepository,
  ) {}

  /** The tenant, or a 404 (revoked tenants are found: they are the reason for these endpoints). */
  private async tenant(tenantId: string): Promise<void> {
    if (!(await this.tenants.find(tenantId)))
      throw new NotFoundException(
        `No tenant ${tenantId}: GET /${API_PREFIX}/admin/tenants lists them`,
      );
  }

  @Get(':business_ref')
  @ApiOperation({
    summary: "Export a tenant's business (admin)",
    description:
      "What GET /contributions/{business_ref} answers the tenant, for the admin: every month stored for the business under the tenant, with its raw values, revoked tenants included (for a request of the business's owner when the tenant can no longer ask). Audited in the log without the reference or values.",
  })
  @ApiOkResponse({ type: BusinessContributionsResponseDto })
  @ApiTenantBusinessErrors()
  async exportTenantBusiness(
    @Param() params: TenantBusinessParamDto,
  ): Promise<BusinessContributionsResponseDto> {
    await this.tenant(params.tenant_id);
    const months = await this.contributions.export(
      params.tenant_id,
      params.business_ref,
      `tenant ${params.tenant_id}`,
    );
    this.audit.log({
      msg: "admin exported a tenant's business",
      tenant_id: params.tenant_id,
      months: months.length,
    });
    return toBusinessContributions(params.business_ref, months);
  }

  @Delete(':business_ref')
  @ApiOperation({
    summary: "Erase a tenant's business (admin)",
    description:
      'What DELETE /contributions/{business_ref} does for the tenant, for the admin, revoked tenants included: committed before the answer, at once; the answer names the first publication without the business. Audited in the log without the reference or values.',
  })
  @ApiOkResponse({ type: ErasureResponseDto })
  @ApiTenantBusinessErrors()
  async eraseTenantBusiness(
    @Param() params: TenantBusinessParamDto,
  ): Promise<ErasureResponseDto> {
    await this.tenant(params.tenant_id);
    const erasure = await this.contributions.erase(
      params.tenant_id,
      params.business_ref,
      `tenant ${params.tenant_id}`,
    );
    this.audit.log({
      msg: "admin erased a tenant's business",
      tenant_id: params.tenant_id,
      erased_months: erasure.months,
      erased_values: erasure.values,
      effective_from_publication_id: erasure.effectiveFromPublicationId,
    });
    return toErasureResponse(params.business_ref, erasure);
  }

  @Delete()
  @ApiOperation({
    summary: 'Erase every business of a tenant (admin)',
    description:
      'Erases everything the tenant has contributed, revoked or not, in batches of 500 businesses (each committed on its own, so a tenant of any size can be erased; after a failure, erasing again goes on where it stopped). The tenant itself stays (revoke its key with DELETE /admin/tenants/{tenant_id}). Audited in the log with the counts.',
  })
  @ApiOkResponse({ type: TenantErasureResponseDto })
  @ApiPathParamTooLong('tenant_id')
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'tenant_id is not a UUID.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'No such tenant.',
  })
  async eraseTenantContributions(
    @Param() params: TenantIdParamDto,
  ): Promise<TenantErasureResponseDto> {
    await this.tenant(params.tenant_id);
    const erasure = await this.contributions.eraseTenant(params.tenant_id);
    this.audit.log({
      msg: 'admin erased every business of a tenant',
      tenant_id: params.tenant_id,
      erased_businesses: erasure.businesses,
      erased_months: erasure.months,
      erased_values: erasure.values,
      effective_from_publication_id: erasure.effectiveFromPublicationId,
    });
    return toTenantErasureResponse(params.tenant_id, erasure);
  }
}
