import { Counter, Gauge, Histogram } from 'prom-client';
import type { ContributionsMetrics } from '../contributions.metrics';
import {
  PublicationFailedError,
  type Publication,
  type PublicationRepository,
} from './publication.repository';
import { PublicationService } from './publication.service';

const NOW = new Date('2025-03-01T12:00:00Z');

function metrics(): ContributionsMetrics {
  return {
    records: new Counter({
      name: 'r',
      help: 'r',
      labelNames: ['outcome'],
      registers: [],
    }),
    cellBusinesses: new Histogram({ name: 'c', help: 'c', registers: [] }),
    cells: new Gauge({
      name: 'g',
      help: 'g',
      labelNames: ['state'],
      registers: [],
    }),
    publicationSeconds: new Histogram({
      name: 'd',
      help: 'd',
      labelNames: ['outcome'],
      registers: [],
    }),
  };
}

function repository(state: {
  inUse: boolean;
  current?: Publication;
  failing?: boolean;
}) {
  const published: number[] = [];
  let attempts = 0;
  const fake = {
    inUse: () => state.inUse,
    current: () => Promise.resolve(state.current),
    cellSizes: () => Promise.resolve([30, 40]),
    attempts: () => attempts,
    publish: () => {
      attempts++;
      if (state.failing)
        return Promise.reject(
          new PublicationFailedError(attempts, 'timed out'),
        );
      const publication: Publication = {
        publicationId: (state.current?.publicationId ?? 0) + 1,
        publishedAt: NOW,
        publishedCells: 2,
        withheldCells: 1,
        durationMs: 5,
      };
      published.push(publication.publicationId);
      state.current = publication;
      return Promise.resolve(publication);
    },
  };
  return {
    fake: fake as unknown as PublicationRepository,
    published,
    attempts: () => attempts,
  };
}

describe('PublicationService schedule', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const service = (repo: PublicationRepository, intervalMs: number) =>
    new PublicationService(
      repo,
      metrics(),
      { now: () => NOW },
      {
        minPeers: 30,
        minTenants: 1,
        publishIntervalMs: intervalMs,
        publishTimeoutMs: 60_000,
      },
    );

  it('should publish once a minute check finds the current publication older than the interval, and not before', async () => {
    const state = {
      inUse: true,
      current: {
        publicationId: 4,
        publishedAt: new Date(NOW.getTime() - 59 * 60_000),
        publishedCells: 1,
        withheldCells: 0,
        durationMs: 1,
      },
    };
    const { fake, published } = repository(state);
    const publisher = service(fake, 3_600_000);
    publisher.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(published).toEqual([]);
    state.current.publishedAt = new Date(NOW.getTime() - 61 * 60_000);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(published).toEqual([5]);
    await jest.advanceTimersByTimeAsync(60_000); // the new one is current: not due
    expect(published).toEqual([5]);
    await publisher.onApplicationShutdown();
  });

  it('should leave an embedded database nothing has opened alone, and never schedule with an interval of 0', async () => {
    const closed = repository({ inUse: false });
    const idle = service(closed.fake, 60_000);
    idle.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5 * 60_000);
    expect(closed.published).toEqual([]);
    await idle.onApplicationShutdown();
    const manual = repository({ inUse: true });
    const onRequest = service(manual.fake, 0);
    onRequest.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5 * 60_000);
    expect(manual.published).toEqual([]);
    await expect(onRequest.publishNow()).resolves.toMatchObject({
      publicationId: 1,
    });
    await onRequest.onApplicationShutdown();
  });

  it('should not try again within ten minutes of a failed publication, then try again', async () => {
    const state = { inUse: true, failing: true };
    const { fake, attempts } = repository(state);
    let now = NOW.getTime();
    const publisher = new PublicationService(
      fake,
      metrics(),
      { now: () => new Date(now) },
      {
        minPeers: 30,
        minTenants: 1,
        publishIntervalMs: 60_000,
        publishTimeoutMs: 60_000,
      },
    );
    publisher.onApplicationBootstrap();
    for (let minute = 1; minute <= 10; minute++) {
      now += 60_000;
      await jest.advanceTimersByTimeAsync(60_000);
    }
    expect(attempts()).toBe(1);
    now += 60_000;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(attempts()).toBe(2);
    await publisher.onApplicationShutdown();
  });
});
