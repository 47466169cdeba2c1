import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { Clock } from '../common/clock';
import { DataSourcesModule } from '../data-sources/data-sources.module';
import { BenchmarksController } from './benchmarks.controller';
import { BenchmarksService } from './benchmarks.service';

@Module({
  imports: [DataSourcesModule, CacheModule],
  controllers: [BenchmarksController],
  providers: [BenchmarksService, Clock],
  exports: [BenchmarksService],
})
export class BenchmarksModule {}
