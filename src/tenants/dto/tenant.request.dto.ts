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
      'A name for the app or customer the tenant is (shown in the tenant list; not unique). 1-200 characters, surrounding spaces trimmed, stored in Unicode normalization form C (NFC) and answered as stored. Refused: control characters, bidirectional controls (U+200E, U+200F, U+061C, U+202A-U+202E, U+2066-U+2069) and lone surrogates.',
    example: 'Acme Books',
    maxLength: 200,
  })
  // NFC, so that one name has one spelling (an accented letter precomposed or combined is stored alike).
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().normalize('NFC') : value,
  )
  // Control characters: refused (PostgreSQL text cannot even hold NUL).
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u001f\u007f]*$/, {
    message: 'name must not contain control characters',
  })
  // Bidirectional controls reorder the text shown around them, so a name could display as another (U+202E turns
  // "Acme\u202Eskoob" into "Acmebooks"). Refused, not stripped: silently changing a name is worse than asking again.
  @Matches(/^[^\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$/, {
    message:
      'name must not contain bidirectional control characters (U+200E, U+200F, U+061C, U+202A-U+202E, U+2066-U+2069)',
  })
  // A lone surrogate cannot be stored as UTF-8 (it would become U+FFFD): the name would not be the one sent.
  @Matches(/^\P{Cs}*$/u, {
    message:
      'name must be well-formed Unicode (no lone surrogate): send each character outside the BMP as a surrogate pair',
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
