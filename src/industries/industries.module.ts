import { Module } from '@nestjs/common';
import { DataSourcesModule } from '../data-sources/data-sources.module';
import { IndustriesController } from './industries.controller';

@Module({ imports: [DataSourcesModule], controllers: [IndustriesController] })
export class IndustriesModule {}
