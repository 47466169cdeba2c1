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
  PublicationFailedError,
  PublicationRepository,
  type Publication,
  type PublicationStatus,
  type PublishOptions,
} from './publication.repository';

/** How often each instance checks whether a scheduled publication is due (the interval itself may be longer). */
const CHECK_EVERY_MS = 60_000;

/** How long the schedule waits after a failed publication before trying again. */
export const RETRY_AFTER_FAILURE_MS = 10 * 60_000;

/**
 * A function awaited before each batch of a publication's slices (see PublishOptions.between), or null (the app's):
 * the seam for tests that act while a publication runs.
 */
export const PUBLICATION_CHECKPOINT = Symbol('PUBLICATION_CHECKPOINT');

/** What asking for a publication found: the one started here, or another instance's running one. */
export type Started =
  | { readonly started: PublicationStatus }
  | { readonly busy: PublicationStatus | undefined };

/**
 * Publishes contributions in the background: on an admin request (answered once the publication is recorded as
 * running) and on schedule (CONTRIBUTION_PUBLISH_INTERVAL): each instance checks once a minute whether the current
 * publication is older than the interval, and the one that takes the lock publishes, so restarts and several
 * instances neither skip nor double a publication. A publication is bound by CONTRIBUTION_PUBLISH_TIMEOUT_MS, not by a
 * request's. An embedded database nothing has opened is left closed (the instance has stored nothing since it
 * started). On shutdown a running publication stops before its next batch and is recorded as failed.
 */
@Injectable()
export class PublicationService
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('Publication');
  private timer?: NodeJS.Timeout;
  /** This instance's publication, while one runs (settled, never rejecting). */
  private running?: Promise<unknown>;
  /** The schedule's check, while it runs. */
  private checking?: Promise<void>;
  private lastFailureAt?: number;
  private readonly stopping = new AbortController();

  constructor(
    private readonly repository: PublicationRepository,
    private readonly metrics: ContributionsMetrics,
    private readonly clock: Clock,
    @Inject(contributionsConfig.KEY)
    private readonly config: Pick<
      ContributionsConfig,
      'minPeers' | 'minTenants' | 'publishIntervalMs' | 'publishTimeoutMs'
    >,
    @Inject(PUBLICATION_CHECKPOINT)
    private readonly between: PublishOptions['between'] | null = null,
  ) {}

  /**
   * Starts a publication and answers once it is recorded as running (the rest goes on in the background), or with
   * the publication another instance is running. Errors before it is recorded (the database unavailable) propagate.
   */
  async start(): Promise<Started> {
    let recorded!: (status: PublicationStatus) => void;
    const started = new Promise<PublicationStatus>((resolve) => {
      recorded = resolve;
    });
    const ended = this.publish(recorded).then(() => undefined);
    // A failure after the start is the job's to record and log.
    ended.catch(() => undefined);
    const first = await Promise.race([
      started.then((status) => ({ started: status })),
      ended,
    ]);
    if (first) return first;
    return {
      busy: (await this.repository.statuses()).find(
        (s) => s.state === 'running',
      ),
    };
  }

  /**
   * Publishes and waits for the outcome: the publication, or undefined when another instance is publishing. A failure
   * is a {@link PublicationFailedError} (recorded); earlier errors as they come.
   */
  publishNow(): Promise<Publication | undefined> {
    return this.publish();
  }

  /** The publication as recorded, or undefined. */
  status(publicationId: number): Promise<PublicationStatus | undefined> {
    return this.repository.status(publicationId);
  }

  /** The publications kept, newest first. */
  statuses(): Promise<PublicationStatus[]> {
    return this.repository.statuses();
  }

  private publish(
    recorded?: (status: PublicationStatus) => void,
  ): Promise<Publication | undefined> {
    const begun = performance.now();
    const job = this.repository
      .publish({
        rules: {
          minPeers: this.config.minPeers,
          minTenants: this.config.minTenants,
        },
        now: () => this.clock.now(),
        elapsedMs: () => performance.now(),
        timeoutMs: this.config.publishTimeoutMs,
        signal: this.stopping.signal,
        between: this.between ?? undefined,
        started: (status) => {
          this.logger.log({
            msg: 'publication started',
            publication_id: status.publicationId,
            slices: status.slicesTotal,
          });
          recorded?.(status);
        },
      })
      .then(
        (publication) => this.published(publication, begun),
        (error: unknown) => this.failed(error, begun),
      );
    const settled = job.catch(() => undefined);
    this.running = settled;
    void settled.finally(() => {
      if (this.running === settled) this.running = undefined;
    });
    return job;
  }

  private async published(
    publication: Publication | undefined,
    begun: number,
  ): Promise<Publication | undefined> {
    const seconds = (performance.now() - begun) / 1000;
    if (!publication) {
      this.metrics.publicationSeconds.observe({ outcome: 'skipped' }, seconds);
      return undefined;
    }
    this.metrics.publicationSeconds.observe({ outcome: 'published' }, seconds);
    this.metrics.cells.set({ state: 'published' }, publication.publishedCells);
    this.metrics.cells.set({ state: 'withheld' }, publication.withheldCells);
    this.metrics.cellBusinesses.reset();
    for (const n of await this.repository
      .cellSizes(publication.publicationId)
      .catch(() => [] as number[]))
      this.metrics.cellBusinesses.observe(n);
    this.logger.log({
      msg: 'published contributed benchmarks',
      publication_id: publication.publicationId,
      published_cells: publication.publishedCells,
      withheld_cells: publication.withheldCells,
      duration_ms: publication.durationMs,
    });
    return publication;
  }

  private failed(error: unknown, begun: number): never {
    this.metrics.publicationSeconds.observe(
      { outcome: 'failed' },
      (performance.now() - begun) / 1000,
    );
    this.lastFailureAt = this.clock.now().getTime();
    if (error instanceof PublicationFailedError)
      this.logger.warn({
        msg: 'publication failed; the previous publication stays current',
        publication_id: error.publicationId,
        reason: error.reason,
      });
    throw error;
  }

  /**
   * Whether a scheduled publication is due: none yet, or the current one older than the interval; not within
   * {@link RETRY_AFTER_FAILURE_MS} of a failure here.
   */
  async due(): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (
      this.lastFailureAt !== undefined &&
      now - this.lastFailureAt < RETRY_AFTER_FAILURE_MS
    )
      return false;
    const current = await this.repository.current();
    return (
      !current ||
      now - current.publishedAt.getTime() >= this.config.publishIntervalMs
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.publishIntervalMs === 0) return;
    const every = Math.min(CHECK_EVERY_MS, this.config.publishIntervalMs);
    this.timer = setInterval(() => {
      if (this.checking || this.running) return;
      const checking = this.scheduled();
      this.checking = checking;
      void checking.finally(() => (this.checking = undefined));
    }, every);
    this.timer.unref();
  }

  /** Stops the schedule, and a running publication before its next batch (it is recorded as failed). */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await Promise.all([this.checking, this.running]);
  }

  private async scheduled(): Promise<void> {
    try {
      if (!this.repository.inUse()) return;
      if (await this.due()) await this.publishNow();
    } catch (error) {
      if (!(error instanceof PublicationFailedError))
        this.logger.warn({
          msg: 'scheduled publication failed; the previous publication stays current',
          reason: (error as Error).message,
        });
    }
  }
}
