import { ApiProperty } from '@nestjs/swagger';
import type { PublicationStatus } from '../publication.repository';

const STATES = ['running', 'published', 'failed'] as const;

/** A publication, at any stage: what POST /admin/publications starts and GET /admin/publications/{id} follows. */
export class PublicationResponseDto {
  @ApiProperty({
    description:
      'The publication, numbered in order; benchmark metadata names it.',
    example: 8,
  })
  publication_id: number;

  @ApiProperty({
    enum: STATES,
    description:
      '`running`: computing its cells (the previous publication is served meanwhile); `published`: made current (readers on every instance move to it within a minute), then replaced by later ones; `failed`: stopped without becoming current (see `failure`); nothing of it is served.',
    example: 'published',
  })
  state: (typeof STATES)[number];

  @ApiProperty({
    description: 'Whether readers are served from this publication now.',
    example: true,
  })
  current: boolean;

  @ApiProperty({
    format: 'date-time',
    description: 'When it started.',
    example: '2025-01-06T09:59:58.000Z',
  })
  started_at: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When it was made current; null unless published.',
    example: '2025-01-06T10:00:00.000Z',
  })
  published_at: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When it was made current or failed; null while running.',
    example: '2025-01-06T10:00:00.000Z',
  })
  finished_at: string | null;

  @ApiProperty({
    description:
      'Industry-months of contributed data it computes (each with every size, region and metric).',
    example: 14,
  })
  slices_total: number;

  @ApiProperty({
    description:
      'Industry-months computed so far (all of them once published).',
    example: 14,
  })
  slices_done: number;

  @ApiProperty({
    description: `Cells published so far: peer group x metric x month with at least CONTRIBUTION_MIN_PEERS businesses of CONTRIBUTION_MIN_TENANTS tenants (broader cells included: the size nationally, every size pooled).`,
    example: 12,
  })
  published_cells: number;

  @ApiProperty({
    description:
      'Cells withheld so far under those thresholds (a cell published before and now under them is withdrawn).',
    example: 30,
  })
  withheld_cells: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'How long it took from start to current or failure, in milliseconds; null while running.',
    example: 84,
  })
  duration_ms: number | null;

  @ApiProperty({
    description: 'CONTRIBUTION_MIN_PEERS it applies.',
    example: 10,
  })
  min_peers: number;

  @ApiProperty({
    description: 'CONTRIBUTION_MIN_TENANTS it applies.',
    example: 1,
  })
  min_tenants: number;

  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'Why it failed (a timeout past CONTRIBUTION_PUBLISH_TIMEOUT_MS, the database failing, the instance stopping); null otherwise.',
    example: null,
  })
  failure: string | null;
}

/** GET /admin/publications: the publications kept. */
export class PublicationListResponseDto {
  @ApiProperty({
    type: [PublicationResponseDto],
    description:
      'Newest first: the last three published and any started since, running or failed.',
  })
  publications: PublicationResponseDto[];

  @ApiProperty({ description: 'How many are listed.', example: 3 })
  count: number;
}

export function toPublicationResponse(
  status: PublicationStatus,
): PublicationResponseDto {
  return {
    publication_id: status.publicationId,
    state: status.state,
    current: status.current,
    started_at: status.startedAt.toISOString(),
    published_at:
      status.state === 'published' && status.finishedAt
        ? status.finishedAt.toISOString()
        : null,
    finished_at: status.finishedAt?.toISOString() ?? null,
    slices_total: status.slicesTotal,
    slices_done: status.slicesDone,
    published_cells: status.publishedCells,
    withheld_cells: status.withheldCells,
    duration_ms: status.durationMs ?? null,
    min_peers: status.minPeers,
    min_tenants: status.minTenants,
    failure: status.failure ?? null,
  };
}
