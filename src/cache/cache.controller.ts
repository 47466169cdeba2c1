import {
  Controller,
  Delete,
  HttpCode,
  ServiceUnavailableException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/dto/error.response.dto';
import { AdminKeyGuard } from '../http/admin-key.guard';
import { CacheUnavailableError } from './cache-store.interface';
import { ReadThroughCache } from './read-through';
import { CacheClearedResponseDto } from './dto/cache-cleared.response.dto';
import { ApiRateLimited } from '../common/swagger/api-rate-limited.decorator';

@ApiTags('cache')
@ApiRateLimited()
@Controller('cache')
export class CacheController {
  constructor(private readonly cache: ReadThroughCache) {}

  @Delete()
  @HttpCode(200)
  @UseGuards(AdminKeyGuard)
  @ApiBearerAuth('admin-key')
  @ApiOperation({
    summary: 'Clear the benchmark cache (admin)',
    description:
      'Deletes every cache entry of this service (its key prefix only; other data in the same Redis survives). Every instance sharing the Redis sees the clear. Requires Authorization: Bearer <ADMIN_API_KEY>. Answers never change: the next requests recompute from the data source.',
  })
  @ApiOkResponse({ type: CacheClearedResponseDto })
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description: 'No admin key, or a wrong one.',
  })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description:
      'Clearing is disabled because ADMIN_API_KEY is not configured.',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description:
      'Redis is unreachable, so nothing could be cleared; retry when it is back.',
  })
  async clear(): Promise<CacheClearedResponseDto> {
    try {
      const deleted = await this.cache.clear();
      return { status: 'success', message: 'Cache cleared', deleted };
    } catch (error) {
      if (error instanceof CacheUnavailableError) {
        throw new ServiceUnavailableException(
          `The cache was not cleared: ${error.message}. Retry when it is back.`,
        );
      }
      throw error;
    }
  }
}
