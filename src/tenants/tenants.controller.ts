import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/dto/error.response.dto';
import {
  ApiJsonBodyLimits,
  ApiPathParamTooLong,
} from '../common/swagger/api-write-errors.decorator';
import { AdminEndpoints } from '../http/admin-endpoints.decorator';
import {
  CreateTenantRequestDto,
  TenantIdParamDto,
} from './dto/tenant.request.dto';
import {
  TenantCreatedResponseDto,
  TenantListResponseDto,
  TenantResponseDto,
  toTenantCreatedResponse,
  toTenantResponse,
} from './dto/tenant.response.dto';
import { TenantRevokedError, TenantsRepository } from './tenants.repository';

const NOT_FOUND = (id: string) =>
  new NotFoundException(
    `No tenant ${id}: GET /api/benchmarks/admin/tenants lists them`,
  );

/**
 * Tenants, managed with the admin key: the apps that contribute their businesses' figures, each with its own key.
 */
@AdminEndpoints(
  'The database is unavailable; nothing was changed. Retry after the seconds in Retry-After.',
)
@Controller('admin/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsRepository) {}

  @Post()
  @ApiOperation({
    summary: 'Create a tenant (admin)',
    description:
      'Creates a tenant and its key. The answer shows the key this once: only its hash is stored, so a lost key can only be replaced (rotate-key).',
  })
  @ApiCreatedResponse({ type: TenantCreatedResponseDto })
  @ApiJsonBodyLimits()
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description:
      'No name, one over 200 characters, or one with a control character, a bidirectional control or a lone surrogate.',
  })
  async createTenant(
    @Body() body: CreateTenantRequestDto,
  ): Promise<TenantCreatedResponseDto> {
    return toTenantCreatedResponse(await this.tenants.create(body.name));
  }

  @Get()
  @ApiOperation({
    summary: 'List the tenants (admin)',
    description: 'Every tenant, oldest first, without keys.',
  })
  @ApiOkResponse({ type: TenantListResponseDto })
  async listTenants(): Promise<TenantListResponseDto> {
    const tenants = (await this.tenants.list()).map(toTenantResponse);
    return { tenants, count: tenants.length };
  }

  @Post(':tenant_id/rotate-key')
  @HttpCode(200)
  @ApiOperation({
    summary: "Replace a tenant's key (admin)",
    description:
      'Gives the tenant a new key, shown this once; the old key is refused from this answer on, on every instance.',
  })
  @ApiOkResponse({ type: TenantCreatedResponseDto })
  @ApiPathParamTooLong('tenant_id')
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'tenant_id is not a UUID.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'No such tenant.',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The tenant is revoked: create a new one.',
  })
  async rotateTenantKey(
    @Param() params: TenantIdParamDto,
  ): Promise<TenantCreatedResponseDto> {
    try {
      const tenant = await this.tenants.rotateKey(params.tenant_id);
      if (!tenant) throw NOT_FOUND(params.tenant_id);
      return toTenantCreatedResponse(tenant);
    } catch (error) {
      if (error instanceof TenantRevokedError)
        throw new ConflictException(
          `Tenant ${params.tenant_id} is revoked: its key cannot be replaced. Create a new tenant.`,
        );
      throw error;
    }
  }

  @Delete(':tenant_id')
  @ApiOperation({
    summary: "Revoke a tenant's key (admin)",
    description:
      "The tenant's key is refused from this answer on, on every instance. Its contributions stay, in publications too, until erased; revoking again answers the first revocation.",
  })
  @ApiOkResponse({ type: TenantResponseDto })
  @ApiPathParamTooLong('tenant_id')
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'tenant_id is not a UUID.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'No such tenant.',
  })
  async revokeTenant(
    @Param() params: TenantIdParamDto,
  ): Promise<TenantResponseDto> {
    const tenant = await this.tenants.revoke(params.tenant_id);
    if (!tenant) throw NOT_FOUND(params.tenant_id);
    return toTenantResponse(tenant);
  }
}
