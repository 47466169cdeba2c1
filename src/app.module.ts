import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { BenchmarksModule } from './benchmarks/benchmarks.module';
import { CacheModule } from './cache/cache.module';
import { AppValidationPipe } from './common/app-validation.pipe';
import { HttpErrorFilter } from './common/http-error.filter';
import { ComparisonModule } from './comparison/comparison.module';
import { validateEnvironment } from './config/env.validation';
import { HealthModule } from './health/health.module';
import { IndustriesModule } from './industries/industries.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      validate: validateEnvironment,
    }),
    HealthModule,
    IndustriesModule,
    BenchmarksModule,
    ComparisonModule,
    CacheModule,
  ],
  providers: [
    { provide: APP_PIPE, useClass: AppValidationPipe },
    { provide: APP_FILTER, useClass: HttpErrorFilter },
  ],
})
export class AppModule {}
