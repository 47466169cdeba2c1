import { ApiProperty } from '@nestjs/swagger';

export class HealthResponseDto {
  @ApiProperty({
    description: 'Always `healthy` while the process serves.',
    enum: ['healthy'],
    example: 'healthy',
  })
  status: 'healthy';

  @ApiProperty({ description: 'Service name.', example: 'benchmark-api' })
  service: string;

  @ApiProperty({ description: 'Version from package.json.', example: '0.1.0' })
  version: string;
}
