import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsNotEmpty,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

export class CreateTenantRequestDto {
  @ApiProperty({
    description:
      'A name for the app or customer the tenant is (shown in the tenant list; not unique). 1-200 characters, surrounding spaces trimmed.',
    example: 'Acme Books',
    maxLength: 200,
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim() : value,
  )
  // Control characters: refused (PostgreSQL text cannot even hold NUL).
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u001f\u007f]*$/, {
    message: 'name must not contain control characters',
  })
  @MaxLength(200)
  @IsNotEmpty()
  @IsString()
  name: string;
}

export class TenantIdParamDto {
  @ApiProperty({
    description: 'The tenant id, as POST /admin/tenants answered it.',
    format: 'uuid',
    example: '0b7e3c1e-6a55-4c8e-9d43-2f0e8f1c9a10',
  })
  @IsUUID('all', { message: 'tenant_id must be a UUID' })
  tenant_id: string;
}
