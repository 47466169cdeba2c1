import { sql } from 'drizzle-orm';
import { createHash, randomUUID } from 'node:crypto';
import {
  createPrivateDatabase,
  describeWithPostgres,
  temporaryDataDir,
} from '../../../test/utils/postgres-test-env';
import { percentileCont } from '../../../test/utils/percentile-cont';
import { rowsOf, type Database } from '../../database/database';
import { createDatabase } from '../../database/open-database';
import { PUBLISHER_LOCK, SNAPSHOT_LOCK } from '../locks';
import {
  ContributionsRepository,
  TENANT_ERASURE_BATCH,
} from '../contributions.repository';
import {
  INTERRUPTED,
  PublicationFailedError,
  PublicationRepository,
  type PublicationRules,
  type PublishOptions,
} from './publication.repository';

const PUBLISHED_AT = new Date('2025-03-01T10:00:00Z');

/** A publication's options: the clock at PUBLISHED_AT, 7 ms from start to finish, 30 minutes allowed. */
function options(
  rules: PublicationRules,
  more: Partial<PublishOptions> = {},
): PublishOptions {
  let calls = 0;
  return {
    rules,
    now: () => PUBLISHED_AT,
    // 0 at the start, 7 from then on
    elapsedMs: () => (calls++ === 0 ? 0 : 7),
    timeoutMs: 1_800_000,
    ...more,
  };
}

/** The hash under which {@link contribute} stores business `i` of a tenant in a region. */
const businessHash = (tenantId: string, region: string, i: number): string =>
  createHash('sha256').update(`${tenantId}-${region}-${i}`).digest('hex');

/** Stores one month of one metric for `values.length` businesses of a tenant, straight into the tables. */
async function contribute(
  database: Database,
  tenantId: string,
  values: readonly number[],
  cell = { industry: 'retail', size: 'small', region: 'midwest' },
  period = '2025-02-01',
): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.execute(
      sql`insert into tenants (tenant_id, name, key_hash, created_at) values (${tenantId}::uuid, 't', ${randomUUID()}, now()) on conflict do nothing`,
    );
    for (const [i, value] of values.entries()) {
      const hash = businessHash(tenantId, cell.region, i);
      await tx.execute(
        sql`insert into business_months values (${tenantId}::uuid, ${hash}, ${period}::date, ${cell.industry}, ${cell.size}, ${cell.region}, now())`,
      );
      await tx.execute(
        sql`insert into contribution_values values (${tenantId}::uuid, ${hash}, ${period}::date, 'profit_margin', ${value})`,
      );
    }
  });
}

function behavesAsAPublisher(
  label: string,
  open: () => Promise<{ database: Database; dispose(): Promise<void> }>,
): void {
  describe(label, () => {
    let database: Database;
    let place: { dispose(): Promise<void> };
    let repository: PublicationRepository;
    const publish = (minPeers = 30, minTenants = 1) =>
      repository.publish(options({ minPeers, minTenants }));
    const cell = async (
      publicationId: number,
      region = 'midwest',
      size = 'small',
    ) =>
      (
        await repository.cells(
          publicationId,
          { industry: 'retail', companySize: size, region },
          ['profit_margin'],
          '2025-02-01',
          '2025-02-01',
        )
      )[0];

    beforeAll(async () => {
      const opened = await open();
      database = opened.database;
      place = opened;
      repository = new PublicationRepository(database);
    }, 60_000);
    afterAll(async () => {
      await database.close();
      await place.dispose();
    });

    it('should trim floor(n / 100) businesses at each end before the percentiles, and report n untrimmed', async () => {
      // 250 businesses: 0.000 .. 0.249, plus two outliers at each end replacing the extremes.
      const values = Array.from({ length: 250 }, (_, i) => i / 1000);
      values[0] = -9;
      values[1] = -8;
      values[248] = 0.9;
      values[249] = 0.95;
      await contribute(database, randomUUID(), values);
      const publication = await publish();
      expect(publication).toMatchObject({
        publicationId: 1,
        publishedCells: 3,
        withheldCells: 0,
        durationMs: 7,
      });
      expect(await repository.status(1)).toMatchObject({
        state: 'published',
        current: true,
        slicesTotal: 1,
        slicesDone: 1,
        publishedCells: 3,
        withheldCells: 0,
        durationMs: 7,
      });
      const published = await cell(1);
      // Kept: ranks 3..248, the values 0.002 .. 0.247 (246 of them); percentile_cont over those.
      const kept = Array.from({ length: 246 }, (_, i) => (i + 2) / 1000);
      const at = (f: number) => percentileCont(kept, f, 4);
      expect(published).toMatchObject({
        n: 250,
        p10: at(0.1),
        p25: at(0.25),
        p50: at(0.5),
        p75: at(0.75),
        p90: at(0.9),
      });
      expect(published.p10).toBeGreaterThan(0);
      expect(await repository.current()).toMatchObject({
        publicationId: 1,
        publishedAt: PUBLISHED_AT,
      });
    }, 60_000);

    it('should withhold a cell under the tenant threshold, and withdraw a cell that falls under the peer threshold', async () => {
      await contribute(
        database,
        randomUUID(),
        Array.from({ length: 20 }, (_, i) => i / 100),
        {
          industry: 'retail',
          size: 'small',
          region: 'west',
        },
      );
      // West: 20 businesses of one tenant; nationally small: 270 of two tenants.
      const two = await publish(10, 2);
      expect(await cell(two!.publicationId, 'west')).toBeUndefined(); // one tenant only
      expect(await cell(two!.publicationId, 'midwest')).toBeUndefined(); // one tenant only
      expect(await cell(two!.publicationId, 'national')).toMatchObject({
        n: 270,
      });
      const three = await publish(260, 1);
      expect(await cell(three!.publicationId, 'national')).toMatchObject({
        n: 270,
      });
      expect(await cell(three!.publicationId, 'west')).toBeUndefined();
      expect(await cell(three!.publicationId, 'midwest')).toBeUndefined(); // 250 < 260: withdrawn
      expect(three).toMatchObject({ publishedCells: 2, withheldCells: 2 });
    }, 60_000);

    it('should keep the last three publications and make each current in turn', async () => {
      for (let i = 0; i < 2; i++) await publish();
      const rows = await database.run((db) =>
        rowsOf<{ publication_id: number }>(
          db,
          sql`select publication_id from publications order by 1`,
        ),
      );
      expect(rows.map((r) => r.publication_id)).toEqual([3, 4, 5]);
      expect((await repository.current())?.publicationId).toBe(5);
    }, 60_000);
  });
}

/**
 * Takes the advisory lock `key` in a transaction of `database` (as another instance would) and holds it until
 * `release()`, which resolves once the transaction has ended.
 */
async function holdLock(
  database: Database,
  key: number,
): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holding = database.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${key})`);
    locked();
    await held;
  });
  await isLocked;
  return {
    release: async () => {
      release();
      await holding;
    },
  };
}

/** Values 0, 0.01, 0.02, ... for `n` businesses. */
const spread = (n: number): number[] =>
  Array.from({ length: n }, (_, i) => i / 100);

const RULES: PublicationRules = { minPeers: 30, minTenants: 1 };
const MONTHS = ['2024-10-01', '2024-11-01', '2024-12-01'];

/** The cells of a publication, for one industry, in a stable order. */
function cellsOf(database: Database, publicationId: number, industry: string) {
  return database.run((db) =>
    rowsOf<Record<string, unknown>>(
      db,
      sql`select industry, company_size, region, metric, to_char(period, 'YYYY-MM-DD') as period, n, p10, p25, p50, p75, p90
          from published_cells where publication_id = ${publicationId} and industry = ${industry}
          order by company_size, region, metric, period`,
    ),
  );
}

/** A publication's job: batches, erasures while it runs, its bound, interruption. Each test has its own industry. */
function behavesAsAJob(
  label: string,
  open: () => Promise<{ database: Database; dispose(): Promise<void> }>,
): void {
  describe(label, () => {
    let database: Database;
    let place: { dispose(): Promise<void> };
    let repository: PublicationRepository;
    let contributions: ContributionsRepository;

    beforeAll(async () => {
      const opened = await open();
      place = opened;
      database = opened.database;
      repository = new PublicationRepository(database);
      contributions = new ContributionsRepository(database);
    }, 60_000);
    afterAll(async () => {
      await database.close();
      await place.dispose();
    });

    it('should compute the same cells in batches of one industry-month as in one batch', async () => {
      const tenant = randomUUID();
      for (const period of MONTHS) {
        await contribute(
          database,
          tenant,
          spread(40),
          { industry: 'technology', size: 'small', region: 'west' },
          period,
        );
        await contribute(
          database,
          tenant,
          spread(35),
          { industry: 'technology', size: 'medium', region: 'south' },
          period,
        );
      }
      const one = await repository.publish(options(RULES));
      const many = await repository.publish(
        options(RULES, { batchBusinessMonths: 1 }),
      );
      expect(many!.publicationId).toBe(one!.publicationId + 1);
      expect(many).toMatchObject({
        publishedCells: one!.publishedCells,
        withheldCells: one!.withheldCells,
      });
      const cells = await cellsOf(database, many!.publicationId, 'technology');
      expect(cells).toHaveLength(3 * 5); // 3 months: west, south, small nationally, medium nationally, all
      expect(cells).toEqual(
        await cellsOf(database, one!.publicationId, 'technology'),
      );
      const status = await repository.status(many!.publicationId);
      expect(status).toMatchObject({
        state: 'published',
        current: true,
        slicesDone: status!.slicesTotal,
      });
      expect(await repository.status(one!.publicationId)).toMatchObject({
        state: 'published',
        current: false,
      });
    }, 60_000);

    it('should answer an erasure at once while a publication runs, and leave the business out of that publication', async () => {
      const tenant = randomUUID();
      const west = { industry: 'construction', size: 'small', region: 'west' };
      for (const period of MONTHS)
        await contribute(database, tenant, spread(40), west, period);
      let total = 0;
      let erasure:
        Awaited<ReturnType<ContributionsRepository['erase']>> | undefined;
      const publication = await repository.publish(
        options(RULES, {
          batchBusinessMonths: 1,
          started: (status) => (total = status.slicesTotal),
          // Every slice computed, the publication not yet current: the business is in its cells now.
          between: async (done) => {
            if (done !== total) return;
            expect(
              (
                await cellsOf(
                  database,
                  (await repository.statuses())[0].publicationId,
                  'construction',
                )
              )[0],
            ).toMatchObject({ n: 40 });
            erasure = await contributions.erase(
              tenant,
              businessHash(tenant, 'west', 0),
            );
          },
        }),
      );
      const id = publication!.publicationId;
      expect(erasure).toEqual({
        businesses: 1,
        months: 3,
        values: 3,
        currentPublicationId: id - 1,
        runningPublicationId: id,
        effectiveFromPublicationId: id,
      });
      const cells = await cellsOf(database, id, 'construction');
      expect(cells).toHaveLength(3 * 3); // west, small nationally, all
      for (const cell of cells) expect(cell.n).toBe(39);
      // The erasure's record is gone with the publication that applied it.
      const left = await database.run((db) =>
        rowsOf<{ n: number | string }>(
          db,
          sql`select count(*) as n from erased_slices`,
        ),
      );
      expect(Number(left[0].n)).toBe(0);
    }, 60_000);

    it('should erase a tenant of more businesses than one batch, and the next publication leave them all out', async () => {
      const tenant = randomUUID();
      const count = TENANT_ERASURE_BATCH + 20;
      await contribute(database, tenant, spread(count), {
        industry: 'hospitality',
        size: 'small',
        region: 'west',
      });
      const before = await repository.publish(options(RULES));
      expect(
        (await cellsOf(database, before!.publicationId, 'hospitality'))[0],
      ).toMatchObject({ n: count });
      const erasure = await contributions.eraseTenant(tenant);
      expect(erasure).toMatchObject({
        businesses: count,
        months: count,
        values: count,
        runningPublicationId: null,
        effectiveFromPublicationId: before!.publicationId + 1,
      });
      expect(await contributions.eraseTenant(tenant)).toMatchObject({
        businesses: 0,
        months: 0,
      });
      const after = await repository.publish(options(RULES));
      expect(
        await cellsOf(database, after!.publicationId, 'hospitality'),
      ).toEqual([]);
    }, 120_000);

    it('should fail past its bound, recorded with why, the previous publication staying current', async () => {
      const before = await repository.current();
      let clock = 0;
      const failure = await repository
        .publish(
          options(RULES, {
            timeoutMs: 1000,
            // 600 ms a batch: the second would start past the bound
            elapsedMs: () => clock,
            between: () => {
              clock += 600;
            },
            batchBusinessMonths: 1,
          }),
        )
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PublicationFailedError);
      const { publicationId, reason } = failure as PublicationFailedError;
      expect(reason).toBe(
        'timed out: not finished within CONTRIBUTION_PUBLISH_TIMEOUT_MS (1000 ms)',
      );
      expect(await repository.status(publicationId)).toMatchObject({
        state: 'failed',
        current: false,
        failure: reason,
      });
      expect(await repository.current()).toEqual(before);
    }, 60_000);

    it('should stop before its next batch when the instance shuts down, recorded as failed', async () => {
      const stop = new AbortController();
      const failure = await repository
        .publish(
          options(RULES, { signal: stop.signal, between: () => stop.abort() }),
        )
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PublicationFailedError);
      expect(
        await repository.status(
          (failure as PublicationFailedError).publicationId,
        ),
      ).toMatchObject({
        state: 'failed',
        failure: 'stopped: the instance publishing it shut down',
      });
    }, 60_000);

    it('should report a publication left running by a stopped instance as failed, interrupted, and number the next after it', async () => {
      const [latest] = await repository.statuses();
      const orphan = latest.publicationId + 1;
      await database.run((db) =>
        db.execute(sql`insert into publications (publication_id, state, started_at, slices_total, published_cells,
                         withheld_cells, duration_ms, min_peers, min_tenants)
                       values (${orphan}, 'running', now(), 3, 0, 0, 0, 30, 1)`),
      );
      expect(await repository.status(orphan)).toMatchObject({
        state: 'failed',
        failure: INTERRUPTED,
      });
      const next = await repository.publish(options(RULES));
      expect(next!.publicationId).toBe(orphan + 1);
      const recorded = await database.run((db) =>
        rowsOf<{ state: string; failure: string }>(
          db,
          sql`select state, failure from publications where publication_id = ${orphan}`,
        ),
      );
      expect(recorded).toEqual([{ state: 'failed', failure: INTERRUPTED }]);
    }, 60_000);
  });
}

behavesAsAPublisher('on the embedded database', () => {
  const data = temporaryDataDir();
  return Promise.resolve({
    database: createDatabase({ dataDir: data.dir, timeoutMs: 2000 }),
    dispose: () => Promise.resolve(data.remove()),
  });
});

behavesAsAJob('a publication job on the embedded database', () => {
  const data = temporaryDataDir();
  return Promise.resolve({
    database: createDatabase({ dataDir: data.dir, timeoutMs: 2000 }),
    dispose: () => Promise.resolve(data.remove()),
  });
});

describeWithPostgres('on a PostgreSQL server', () => {
  behavesAsAJob('a publication job', async () => {
    const database = await createPrivateDatabase();
    return {
      database: createDatabase({
        url: database.url,
        dataDir: '/nonexistent',
        timeoutMs: 5000,
      }),
      dispose: () => database.drop(),
    };
  });

  behavesAsAPublisher('the publisher', async () => {
    const database = await createPrivateDatabase();
    return {
      database: createDatabase({
        url: database.url,
        dataDir: '/nonexistent',
        timeoutMs: 5000,
      }),
      dispose: () => database.drop(),
    };
  });

  it('should record an erasure for the next publication, without waiting, while the running one is becoming current', async () => {
    const server = await createPrivateDatabase();
    const mine = createDatabase({
      url: server.url,
      dataDir: '/nonexistent',
      timeoutMs: 5000,
    });
    const other = createDatabase({
      url: server.url,
      dataDir: '/nonexistent',
      timeoutMs: 5000,
    });
    const repository = new PublicationRepository(mine);
    const contributions = new ContributionsRepository(mine);
    try {
      const tenant = randomUUID();
      await contribute(mine, tenant, spread(40), {
        industry: 'manufacturing',
        size: 'large',
        region: 'northeast',
      });
      let total = 0;
      let erasure:
        Awaited<ReturnType<ContributionsRepository['erase']>> | undefined;
      const publication = await repository.publish(
        options(RULES, {
          started: (status) => (total = status.slicesTotal),
          between: async (done) => {
            if (done !== total) return;
            // Another session holds the snapshot lock, as the publication's last transaction does: the erasure must
            // not wait for it (it would wait for ever here: the holder lets go only after the erasure).
            const hold = await holdLock(other, SNAPSHOT_LOCK);
            erasure = await contributions.erase(
              tenant,
              businessHash(tenant, 'northeast', 0),
            );
            await hold.release();
          },
        }),
      );
      const id = publication!.publicationId;
      expect(erasure).toMatchObject({
        runningPublicationId: id,
        effectiveFromPublicationId: id + 1,
      });
      for (const cell of await cellsOf(mine, id, 'manufacturing'))
        expect(cell.n).toBe(40);
      const next = await repository.publish(options(RULES));
      expect(next!.publicationId).toBe(id + 1);
      for (const cell of await cellsOf(mine, id + 1, 'manufacturing'))
        expect(cell.n).toBe(39);
    } finally {
      await mine.close();
      await other.close();
      await server.drop();
    }
  }, 60_000);

  it('should publish nothing while another instance holds the publisher lock, and leave the current one current', async () => {
    const server = await createPrivateDatabase();
    const mine = createDatabase({
      url: server.url,
      dataDir: '/nonexistent',
      timeoutMs: 5000,
    });
    const other = createDatabase({
      url: server.url,
      dataDir: '/nonexistent',
      timeoutMs: 5000,
    });
    const repository = new PublicationRepository(mine);
    try {
      await contribute(
        mine,
        randomUUID(),
        Array.from({ length: 30 }, (_, i) => i / 100),
      );
      expect(
        await repository.publish(options({ minPeers: 30, minTenants: 1 })),
      ).toMatchObject({ publicationId: 1 });
      const hold = await holdLock(other, PUBLISHER_LOCK);
      expect(
        await repository.publish(options({ minPeers: 30, minTenants: 1 })),
      ).toBeUndefined();
      await hold.release();
      expect((await repository.current())?.publicationId).toBe(1);
    } finally {
      await mine.close();
      await other.close();
      await server.drop();
    }
  }, 60_000);
});
