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

export class DatabaseHealthDto {
  @ApiProperty({
    description:
      '`postgres` when DATABASE_URL is set, else `embedded` (PGlite under DATA_DIR): where contributed data is kept.',
    enum: ['postgres', 'embedded'],
    example: 'embedded',
  })
  kind: 'postgres' | 'embedded';

  @ApiProperty({
    description:
      'What its last use found (no probe): `up`, `down` (contributions answer 503, reads fall back), or `unused` (nothing has needed it since the start).',
    enum: ['up', 'down', 'unused'],
    example: 'unused',
  })
  status: 'up' | 'down' | 'unused';
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

  @ApiProperty({
    description: 'The database of contributed data.',
    type: DatabaseHealthDto,
  })
  database: DatabaseHealthDto;
}
