import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { API_PREFIX } from '../../common/api-prefix';
import { ErrorResponseDto } from '../../common/dto/error.response.dto';
import { ApiPathParamTooLong } from '../../common/swagger/api-write-errors.decorator';
import { AdminEndpoints } from '../../http/admin-endpoints.decorator';
import {
  PublicationListResponseDto,
  PublicationResponseDto,
  toPublicationResponse,
} from './dto/publication.response.dto';
import { PublicationIdParamDto } from './dto/publication.request.dto';
import { PublicationService } from './publication.service';

const PUBLICATIONS_PATH = 'admin/publications';

/** Where a publication is followed. */
const locationOf = (publicationId: number): string =>
  `/${API_PREFIX}/${PUBLICATIONS_PATH}/${publicationId}`;

/** Publishing contributed benchmarks on request (they are also published on schedule), and following publications. */
@AdminEndpoints(
  'The database is unavailable: nothing was started; the previous publication stays current.',
)
@Controller(PUBLICATIONS_PATH)
export class PublicationsController {
  constructor(private readonly publications: PublicationService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Publish contributed benchmarks now (admin)',
    description:
      'Starts a publication in the background and answers once it is recorded as running, with its Location to follow (GET). It computes every cell from the contributions stored as it goes, industry-month by industry-month, within CONTRIBUTION_PUBLISH_TIMEOUT_MS, then becomes current atomically: readers on every instance move to it within a minute. Writes and erasures go on meanwhile; an erasure says whether the running publication leaves the business out. Cells under CONTRIBUTION_MIN_PEERS businesses or CONTRIBUTION_MIN_TENANTS tenants are withheld.',
  })
  @ApiAcceptedResponse({
    type: PublicationResponseDto,
    description:
      'Started: `state` is `running`; the Location header is where to follow it.',
    headers: {
      Location: {
        description: 'GET it to follow the publication.',
        schema: { type: 'string' },
        example: '/api/benchmarks/admin/publications/8',
      },
    },
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'A publication is running (on this instance or another): the message says which, and where to follow it.',
  })
  async publishContributions(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublicationResponseDto> {
    const result = await this.publications.start();
    if ('busy' in result) {
      const running = result.busy;
      throw new ConflictException(
        running
          ? `Publication ${running.publicationId} is running (started ${running.startedAt.toISOString()}): follow it at GET ${locationOf(running.publicationId)}, and ask again once it has finished for a newer one`
          : 'Another instance is publishing now: its publication becomes current when it ends. Ask again in a moment for a newer one.',
      );
    }
    void reply.header('location', locationOf(result.started.publicationId));
    return toPublicationResponse(result.started);
  }

  @Get()
  @ApiOperation({
    summary: 'List the publications (admin)',
    description:
      'The publications kept, newest first: the last three published, and any started since (running or failed).',
  })
  @ApiOkResponse({ type: PublicationListResponseDto })
  async listPublications(): Promise<PublicationListResponseDto> {
    const publications = (await this.publications.statuses()).map(
      toPublicationResponse,
    );
    return { publications, count: publications.length };
  }

  @Get(':publication_id')
  @ApiOperation({
    summary: 'Follow a publication (admin)',
    description:
      'Where the publication is: running (with its progress), published (current or replaced) or failed (with why). A publication whose instance stopped while it ran is failed, interrupted.',
  })
  @ApiOkResponse({ type: PublicationResponseDto })
  @ApiPathParamTooLong('publication_id')
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'publication_id is not a publication number.',
  })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'No such publication kept.',
  })
  async getPublication(
    @Param() params: PublicationIdParamDto,
  ): Promise<PublicationResponseDto> {
    const status = await this.publications.status(
      Number(params.publication_id),
    );
    if (!status)
      throw new NotFoundException(
        `No publication ${params.publication_id} is kept: GET /${API_PREFIX}/${PUBLICATIONS_PATH} lists them`,
      );
    return toPublicationResponse(status);
  }
}
