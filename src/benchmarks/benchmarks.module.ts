import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module';
import { Clock } from '../common/clock';
import { DataSourcesModule } from '../data-sources/data-sources.module';
import { IndustriesModule } from '../industries/industries.module';
import { BenchmarkReader } from './benchmark-reader';
import { BenchmarksController } from './benchmarks.controller';
import { BenchmarksService } from './benchmarks.service';

/** POST /data, and the benchmark reader (with the clock) the comparison module reads through. */
@Module({
  imports: [DataSourcesModule, CacheModule, IndustriesModule],
  controllers: [BenchmarksController],
  providers: [BenchmarksService, BenchmarkReader, Clock],
  exports: [BenchmarkReader, Clock],
})
export class BenchmarksModule {}
