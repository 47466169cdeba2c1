import { ApiProperty } from '@nestjs/swagger';
import type { Tenant, TenantWithKey } from '../tenants.repository';

export class TenantResponseDto {
  @ApiProperty({
    format: 'uuid',
    description: "The tenant's id, for the admin endpoints.",
    example: '0b7e3c1e-6a55-4c8e-9d43-2f0e8f1c9a10',
  })
  tenant_id: string;

  @ApiProperty({
    description: 'The name it was created with.',
    example: 'Acme Books',
  })
  name: string;

  @ApiProperty({
    enum: ['active', 'revoked'],
    description:
      '`revoked`: its key is refused; its contributions stay until erased.',
    example: 'active',
  })
  status: 'active' | 'revoked';

  @ApiProperty({
    format: 'date-time',
    description: 'When the tenant was created.',
    example: '2026-12-03T18:00:00.000Z',
  })
  created_at: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When the key was last replaced; null if never.',
    example: null,
  })
  key_rotated_at: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When the key was revoked; null while active.',
    example: null,
  })
  revoked_at: string | null;
}

export class TenantListResponseDto {
  @ApiProperty({
    type: [TenantResponseDto],
    description: 'Every tenant, oldest first; never with a key.',
  })
  tenants: TenantResponseDto[];

  @ApiProperty({ description: 'How many tenants there are.', example: 1 })
  count: number;
}

export class TenantCreatedResponseDto extends TenantResponseDto {
  @ApiProperty({
    description:
      'The tenant key, for `Authorization: Bearer <api_key>`. Shown this once: only its hash is stored. Keep it secret.',
    example: 'bmk_3q2-7wEXAMPLEonlyNotARealKey0000000000000',
  })
  api_key: string;
}

export function toTenantResponse(tenant: Tenant): TenantResponseDto {
  return {
    tenant_id: tenant.tenantId,
    name: tenant.name,
    status: tenant.revokedAt ? 'revoked' : 'active',
    created_at: tenant.createdAt.toISOString(),
    key_rotated_at: tenant.keyRotatedAt?.toISOString() ?? null,
    revoked_at: tenant.revokedAt?.toISOString() ?? null,
  };
}

export function toTenantCreatedResponse(
  tenant: TenantWithKey,
): TenantCreatedResponseDto {
  return { ...toTenantResponse(tenant), api_key: tenant.apiKey };
}
