import { ApiProperty } from '@nestjs/swagger';

export class CacheClearedResponseDto {
  @ApiProperty({
    description: 'Always `success` when the cache was cleared.',
    example: 'success',
    enum: ['success'],
  })
  status: 'success';

  @ApiProperty({ description: 'What was done.', example: 'Cache cleared' })
  message: string;

  @ApiProperty({
    description: "How many of this service's cache entries were deleted.",
    example: 42,
  })
  deleted: number;
}
