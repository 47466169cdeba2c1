import { ConflictException, Controller, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/dto/error.response.dto';
import { ApiRateLimited } from '../../common/swagger/api-rate-limited.decorator';
import { AdminKeyGuard } from '../../http/admin-key.guard';
import { PublicationResponseDto } from './dto/publication.response.dto';
import { PublicationService } from './publication.service';

/** Publishing contributed benchmarks on request (they are also published on schedule). */
@ApiTags('admin')
@ApiRateLimited()
@ApiBearerAuth('admin-key')
@UseGuards(AdminKeyGuard)
@Controller('admin/publications')
export class PublicationsController {
  constructor(private readonly publications: PublicationService) {}

  @Post()
  @ApiOperation({
    summary: 'Publish contributed benchmarks now (admin)',
    description:
      'Computes every cell from the contributions stored now and makes the publication current, atomically: readers on every instance move to it within a minute. Cells under CONTRIBUTION_MIN_PEERS businesses or CONTRIBUTION_MIN_TENANTS tenants are withheld.',
  })
  @ApiCreatedResponse({ type: PublicationResponseDto })
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description: 'No admin key, or a wrong one.',
  })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description:
      'The admin endpoints are disabled: ADMIN_API_KEY is not configured.',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'Another instance is publishing now: its publication will be current when it ends.',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description:
      'The database is unavailable: nothing was published; the previous publication stays current.',
  })
  async publishContributions(): Promise<PublicationResponseDto> {
    const publication = await this.publications.publishNow();
    if (!publication)
      throw new ConflictException(
        'Another instance is publishing now: its publication becomes current when it ends. Retry in a moment for a new one.',
      );
    return {
      publication_id: publication.publicationId,
      published_at: publication.publishedAt.toISOString(),
      published_cells: publication.publishedCells,
      withheld_cells: publication.withheldCells,
      duration_ms: publication.durationMs,
    };
  }
}
