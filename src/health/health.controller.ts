import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { CACHE_STORE, type CacheStore } from '../cache/cache-store.interface';
import { APP_NAME, APP_VERSION } from '../common/app-info';
import { HealthResponseDto } from './dto/health.response.dto';

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(@Inject(CACHE_STORE) private readonly cache: CacheStore) {}

  @Get()
  @ApiOperation({
    summary: 'Liveness: the service is up and serving',
    description:
      'Always 200 while the process serves, also when Redis is down: answers then come from the data source, and `cache.status` says `down`.',
  })
  @ApiOkResponse({ type: HealthResponseDto })
  health(): HealthResponseDto {
    return {
      status: 'healthy',
      service: APP_NAME,
      version: APP_VERSION,
      cache: { driver: this.cache.driver, status: this.cache.status() },
    };
  }
}
