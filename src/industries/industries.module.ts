import { Module } from '@nestjs/common';
import { DataSourcesModule } from '../data-sources/data-sources.module';
import { IndustriesController } from './industries.controller';
import { IndustriesService } from './industries.service';

/** The catalog: its endpoints, and the lookup (with its 404s) the other features import. */
@Module({
  imports: [DataSourcesModule],
  controllers: [IndustriesController],
  providers: [IndustriesService],
  exports: [IndustriesService],
})
export class IndustriesModule {}
