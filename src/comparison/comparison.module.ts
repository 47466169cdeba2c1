import { Module } from '@nestjs/common';
import { BenchmarksModule } from '../benchmarks/benchmarks.module';
import { IndustriesModule } from '../industries/industries.module';
import { ComparisonController } from './comparison.controller';
import { ComparisonService } from './comparison.service';

/** POST /compare, /scorecard and /compare/trajectory, reading through the benchmarks module's reader. */
@Module({
  imports: [IndustriesModule, BenchmarksModule],
  controllers: [ComparisonController],
  providers: [ComparisonService],
})
export class ComparisonModule {}
