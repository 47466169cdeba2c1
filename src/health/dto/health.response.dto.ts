import { ApiProperty } from '@nestjs/swagger';

export class CacheHealthDto {
  @ApiProperty({
    description: '`redis` when REDIS_URL is set, else `memory` (in-process).',
    enum: ['redis', 'memory'],
    example: 'memory',
  })
  driver: 'redis' | 'memory';

  @ApiProperty({
    description:
      'Whether the cache answers now. `down` means answers come straight from the data source.',
    enum: ['up', 'down'],
    example: 'up',
  })
  status: 'up' | 'down';
}

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

  @ApiProperty({
    description: 'The cache in front of the data source.',
    type: CacheHealthDto,
  })
  cache: CacheHealthDto;
}
