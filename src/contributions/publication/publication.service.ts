import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Clock } from '../../common/clock';
import {
  contributionsConfig,
  type ContributionsConfig,
} from '../../config/contributions.config';
import { ContributionsMetrics } from '../contributions.metrics';
import {
  PublicationRepository,
  type Publication,
} from './publication.repository';

/** How often each instance checks whether a scheduled publication is due (the interval itself may be longer). */
const CHECK_EVERY_MS = 60_000;

/**
 * Publishes contributions: on an admin request, and on schedule (CONTRIBUTION_PUBLISH_INTERVAL): each instance checks
 * once a minute whether the current publication is older than the interval, and the one that takes the lock
 * publishes, so restarts and several instances neither skip nor double a publication. An embedded database nothing
 * has opened is left closed (the instance has stored nothing since it started).
 */
@Injectable()
export class PublicationService
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('Publication');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly repository: PublicationRepository,
    private readonly metrics: ContributionsMetrics,
    private readonly clock: Clock,
    @Inject(contributionsConfig.KEY)
    private readonly config: Pick<
      ContributionsConfig,
      'minPeers' | 'minTenants' | 'publishIntervalMs'
    >,
  ) {}

  /** Publishes now; undefined when another instance is publishing. Database errors propagate (503 to an admin). */
  async publishNow(): Promise<Publication | undefined> {
    const started = performance.now();
    try {
      const publication = await this.repository.publish(
        { minPeers: this.config.minPeers, minTenants: this.config.minTenants },
        this.clock.now(),
        started,
        () => performance.now(),
      );
      const seconds = (performance.now() - started) / 1000;
      if (!publication) {
        this.metrics.publicationSeconds.observe(
          { outcome: 'skipped' },
          seconds,
        );
        return undefined;
      }
      this.metrics.publicationSeconds.observe(
        { outcome: 'published' },
        seconds,
      );
      this.metrics.cells.set(
        { state: 'published' },
        publication.publishedCells,
      );
      this.metrics.cells.set({ state: 'withheld' }, publication.withheldCells);
      this.metrics.cellBusinesses.reset();
      for (const n of await this.repository.cellSizes(
        publication.publicationId,
      ))
        this.metrics.cellBusinesses.observe(n);
      this.logger.log({
        msg: 'published contributed benchmarks',
        publication_id: publication.publicationId,
        published_cells: publication.publishedCells,
        withheld_cells: publication.withheldCells,
        duration_ms: publication.durationMs,
      });
      return publication;
    } catch (error) {
      this.metrics.publicationSeconds.observe(
        { outcome: 'failed' },
        (performance.now() - started) / 1000,
      );
      throw error;
    }
  }

  /** Whether a scheduled publication is due: none yet, or the current one older than the interval. */
  async due(): Promise<boolean> {
    const current = await this.repository.current();
    return (
      !current ||
      this.clock.now().getTime() - current.publishedAt.getTime() >=
        this.config.publishIntervalMs
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.publishIntervalMs === 0) return;
    const every = Math.min(CHECK_EVERY_MS, this.config.publishIntervalMs);
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.scheduled().finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async scheduled(): Promise<void> {
    try {
      if (!this.repository.inUse()) return;
      if (await this.due()) await this.publishNow();
    } catch (error) {
      this.logger.warn({
        msg: 'scheduled publication failed; the previous publication stays current',
        reason: (error as Error).message,
      });
    }
  }
}
