import { Controller, Delete, HttpCode, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CACHE_STORE, type CacheStore } from './cache-store.interface';
import { CacheClearedResponseDto } from './dto/cache-cleared.response.dto';

@ApiTags('cache')
@Controller('cache')
export class CacheController {
  constructor(@Inject(CACHE_STORE) private readonly cache: CacheStore) {}

  @Delete()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Clear the benchmark cache',
    description:
      'Removes every cached benchmark entry; the next requests recompute from the data source. Numbers do not change: the synthetic source is deterministic.',
  })
  @ApiOkResponse({ type: CacheClearedResponseDto })
  async clear(): Promise<CacheClearedResponseDto> {
    const removed = await this.cache.clear();
    return {
      status: 'success',
      message: 'Cache cleared',
      entries_removed: removed,
    };
  }
}
