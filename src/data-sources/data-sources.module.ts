import { Module } from '@nestjs/common';
import {
  dataSourceConfig,
  type DataSourceConfig,
} from '../config/data-source.config';
import { BLS_CLIENT, type BlsClient } from './bls/bls-client';
import { BlsDataSource } from './bls/bls-data-source';
import { BlsModule } from './bls/bls.module';
import { DATA_SOURCE, type DataSource } from './data-source.interface';
import { SyntheticDataSource } from './synthetic/synthetic-data-source';

/** The source DATA_SOURCE names, each built from its own part of the config. */
export function createDataSource(
  config: DataSourceConfig,
  bls: BlsClient | null,
): DataSource {
  const synthetic = new SyntheticDataSource(config.synthetic.seed);
  if (config.name === 'synthetic') return synthetic;
  if (!bls) throw new Error(`DATA_SOURCE=${config.name} needs the BLS client`);
  return new BlsDataSource(config.name, bls, synthetic);
}

/** The active DataSource (DATA_SOURCE token), and the BLS module's health indicator for readiness. */
@Module({
  imports: [BlsModule],
  providers: [
    {
      provide: DATA_SOURCE,
      inject: [dataSourceConfig.KEY, BLS_CLIENT],
      useFactory: createDataSource,
    },
  ],
  exports: [DATA_SOURCE, BlsModule],
})
export class DataSourcesModule {}
