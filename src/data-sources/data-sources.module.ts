import { Module } from '@nestjs/common';
import {
  dataSourceConfig,
  type DataSourceConfig,
} from '../config/data-source.config';
import { BLS_CLIENT, type BlsClient } from './bls/bls-client';
import { BlsDataSource } from './bls/bls-data-source';
import { BlsModule } from './bls/bls.module';
import { BlendedDataSource } from './blended-data-source';
import { CENSUS_CLIENT, type CensusClient } from './census/census-client';
import { CensusDataSource } from './census/census-data-source';
import { CensusModule } from './census/census.module';
import {
  ContributedDataSource,
  type PublishedCells,
} from './contributed/contributed-data-source';
import { DATA_SOURCE, type DataSource } from './data-source.interface';
import { PublicationModule } from '../contributions/publication/publication.module';
import { PublicationRepository } from '../contributions/publication/publication.repository';
import { SyntheticDataSource } from './synthetic/synthetic-data-source';

/** The source DATA_SOURCE names, each built from its own part of the config. */
export function createDataSource(
  config: DataSourceConfig,
  bls: BlsClient | null,
  census: CensusClient | null,
  published: PublishedCells,
): DataSource {
  const synthetic = new SyntheticDataSource(config.synthetic.seed);
  const name = config.name;
  if (name === 'synthetic') return synthetic;
  if (name === 'contributed')
    return new ContributedDataSource('contributed', synthetic, published);
  if (name === 'census') {
    if (!census)
      throw new Error(
        'DATA_SOURCE=census needs CENSUS_API_KEY (the Census client)',
      );
    return new CensusDataSource('census', census, synthetic);
  }
  if (!bls) throw new Error(`DATA_SOURCE=${name} needs the BLS client`);
  if (name === 'bls') return new BlsDataSource('bls', bls, synthetic);
  return new ContributedDataSource(
    'blended',
    new BlendedDataSource(
      synthetic,
      new BlsDataSource('blended', bls, synthetic),
      census ? new CensusDataSource('blended', census, synthetic) : null,
    ),
    published,
  );
}

/**
 * The active DataSource (DATA_SOURCE token), and the upstream modules' health indicators for readiness. Published
 * contributed cells come from the publication module.
 */
@Module({
  imports: [BlsModule, CensusModule, PublicationModule],
  providers: [
    {
      provide: DATA_SOURCE,
      inject: [
        dataSourceConfig.KEY,
        BLS_CLIENT,
        CENSUS_CLIENT,
        PublicationRepository,
      ],
      useFactory: createDataSource,
    },
  ],
  exports: [DATA_SOURCE, BlsModule, CensusModule],
})
export class DataSourcesModule {}
