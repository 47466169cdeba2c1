import { ApiProperty } from '@nestjs/swagger';

/** POST /admin/publications: the publication made, now current. */
export class PublicationResponseDto {
  @ApiProperty({
    description:
      'The publication, numbered in order; benchmark metadata names it.',
    example: 8,
  })
  publication_id: number;

  @ApiProperty({
    format: 'date-time',
    description: 'When it was made current.',
    example: '2025-01-06T10:00:00.000Z',
  })
  published_at: string;

  @ApiProperty({
    description: `Cells published: peer group x metric x month with at least CONTRIBUTION_MIN_PEERS businesses of CONTRIBUTION_MIN_TENANTS tenants (broader cells included: the size nationally, every size pooled).`,
    example: 12,
  })
  published_cells: number;

  @ApiProperty({
    description:
      'Cells withheld under those thresholds (a cell published before and now under them is withdrawn).',
    example: 30,
  })
  withheld_cells: number;

  @ApiProperty({
    description: 'How long the publication took, in milliseconds.',
    example: 84,
  })
  duration_ms: number;
}
