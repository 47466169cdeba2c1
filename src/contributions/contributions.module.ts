import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AdminKeyGuard } from '../http/admin-key.guard';
import {
  contributionsConfig,
  type ContributionsConfig,
} from '../config/contributions.config';
import { databaseConfig, type DatabaseConfig } from '../config/database.config';
import { TenantsModule } from '../tenants/tenants.module';
import { PublicationModule } from './publication/publication.module';
import { BusinessRefHasher, embeddedHashSecret } from './business-ref-hasher';
import { AdminContributionsController } from './admin-contributions.controller';
import { ContributionsController } from './contributions.controller';
import { ContributionsRepository } from './contributions.repository';
import { ContributionsService } from './contributions.service';

/**
 * Contributed benchmarks: tenants' businesses' monthly figures, stored under keyed hashes, exported and erased by
 * their own tenant.
 */
@Module({
  imports: [TenantsModule, PublicationModule],
  controllers: [ContributionsController, AdminContributionsController],
  providers: [
    Clock,
    AdminKeyGuard,
    ContributionsRepository,
    ContributionsService,
    {
      provide: BusinessRefHasher,
      inject: [contributionsConfig.KEY, databaseConfig.KEY],
      useFactory: (
        contributions: ContributionsConfig,
        database: DatabaseConfig,
      ): BusinessRefHasher => {
        const secret = contributions.hashSecret;
        if (secret) return new BusinessRefHasher(() => secret);
        if (database.url)
          throw new Error(
            'CONTRIBUTION_HASH_SECRET is required with DATABASE_URL',
          );
        return new BusinessRefHasher(() =>
          embeddedHashSecret(database.dataDir),
        );
      },
    },
  ],
})
export class ContributionsModule {}
