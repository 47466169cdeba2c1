import { Controller, Get, Inject } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { CACHE_STORE, type CacheStore } from '../cache/cache-store.interface';
import { APP_NAME, APP_VERSION } from '../common/app-info';
import { DATABASE, type Database } from '../database/database';
import { BlsHealthIndicator } from '../data-sources/bls/bls.health';
import { CensusHealthIndicator } from '../data-sources/census/census.health';
import { HealthResponseDto } from './dto/health.response.dto';

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
    @Inject(DATABASE) private readonly database: Database,
    private readonly bls: BlsHealthIndicator,
    private readonly census: CensusHealthIndicator,
    private readonly checks: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Liveness: the service is up and serving',
    description:
      'Always 200 while the process serves, also when Redis or the database is down: answers then come from the data source (`cache.status` says `down`), and contributions answer 503 (`database.status` says `down`).',
  })
  @ApiOkResponse({ type: HealthResponseDto })
  health(): HealthResponseDto {
    return {
      status: 'healthy',
      service: APP_NAME,
      version: APP_VERSION,
      cache: { driver: this.cache.driver, status: this.cache.status() },
      database: {
        kind: this.database.kind,
        status: this.database.status(),
      },
    };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: should this instance take traffic?',
    description:
      'Reports the cache, the data source and Census (terminus format). 503 only when the instance cannot serve: DATA_SOURCE=bls and BLS has never answered this process (nor is its data cached), or DATA_SOURCE=census and Census has not; the upstream is probed at most once a minute, each probe counted against its daily quota. A Redis outage does not make the instance unready: it serves without the cache.',
  })
  @ApiOkResponse({
    description:
      'Ready: `{status: "ok", info: {cache, data_source, census}, ...}`.',
  })
  @ApiServiceUnavailableResponse({
    description:
      'Not ready: `{status: "error", error: {data_source: ...} or {census: ...}, ...}`.',
  })
  ready(): Promise<HealthCheckResult> {
    return this.checks.check([
      () => this.cacheCheck(),
      () => this.bls.isHealthy('data_source'),
      () => this.census.isHealthy('census'),
    ]);
  }

  private cacheCheck() {
    const status = this.cache.status();
    // Fail-open: without the cache the service still answers, so a down cache is reported, not fatal.
    return this.indicators.check('cache').up({
      driver: this.cache.driver,
      connected: status === 'up',
      ...(status === 'down'
        ? {
            note: 'Redis unreachable: answering from the data source without the cache',
          }
        : {}),
    });
  }
}
