import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { INDUSTRY_KEYS } from '../../domain/catalog';

export class IndustryParamDto {
  @ApiProperty({
    description: 'Industry key. An unknown key gives 404.',
    enum: INDUSTRY_KEYS,
    example: 'retail',
  })
  @MaxLength(100)
  @IsNotEmpty()
  @IsString()
  industry: string;
}
