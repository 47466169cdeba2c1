import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheModule } from '../cache/cache.module';
import { DataSourcesModule } from '../data-sources/data-sources.module';
import { HealthController } from './health.controller';

@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    CacheModule,
    DataSourcesModule,
  ],
  controllers: [HealthController],
})
export class HealthModule {}
