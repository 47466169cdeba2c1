import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard } from '@nestjs/throttler';
import { BenchmarksModule } from './benchmarks/benchmarks.module';
import { CacheModule } from './cache/cache.module';
import { AppValidationPipe } from './http/app-validation.pipe';
import { HttpErrorFilter } from './http/http-error.filter';
import { ComparisonModule } from './comparison/comparison.module';
import { FEATURE_CONFIGS } from './config/configuration';
import { validateEnvironment } from './config/env.validation';
import { AppLoggerModule } from './http/logging.module';
import { RateLimitGuard, RateLimitModule } from './http/rate-limit';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { IndustriesModule } from './industries/industries.module';
import { DatabaseModule } from './database/database.module';
import { TenantsModule } from './tenants/tenants.module';
import { ReadAccessGuard } from './tenants/tenant-key.guard';
import { ContributionsModule } from './contributions/contributions.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      validate: validateEnvironment,
      load: FEATURE_CONFIGS.map((feature) => feature.config),
    }),
    AppLoggerModule,
    RateLimitModule,
    HealthModule,
    MetricsModule,
    IndustriesModule,
    BenchmarksModule,
    ComparisonModule,
    CacheModule,
    DatabaseModule,
    TenantsModule,
    ContributionsModule,
  ],
  providers: [
    { provide: APP_PIPE, useClass: AppValidationPipe },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    ThrottlerGuard,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useExisting: ReadAccessGuard },
  ],
})
export class AppModule {}
