import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.validation';
import { DATA_SOURCE, type DataSource } from './data-source.interface';
import { SyntheticDataSource } from './synthetic/synthetic-data-source';

@Module({
  providers: [
    {
      provide: DATA_SOURCE,
      inject: [ConfigService],
      useFactory: (
        config: ConfigService<EnvironmentVariables, true>,
      ): DataSource =>
        new SyntheticDataSource(config.get('SYNTHETIC_SEED', { infer: true })),
    },
  ],
  exports: [DATA_SOURCE],
})
export class DataSourcesModule {}
