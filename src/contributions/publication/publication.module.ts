import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AdminKeyGuard } from '../../http/admin-key.guard';
import { ContributionsMetrics } from '../contributions.metrics';
import { PublicationRepository } from './publication.repository';
import {
  PUBLICATION_CHECKPOINT,
  PublicationService,
} from './publication.service';
import { PublicationsController } from './publications.controller';

/**
 * Publications of contributed data: the job (on schedule and on an admin request), its metrics, and the published
 * cells the contributed data source reads.
 */
@Module({
  controllers: [PublicationsController],
  providers: [
    Clock,
    AdminKeyGuard,
    ContributionsMetrics,
    PublicationRepository,
    PublicationService,
    { provide: PUBLICATION_CHECKPOINT, useValue: null },
  ],
  exports: [PublicationRepository, ContributionsMetrics],
})
export class PublicationModule {}
