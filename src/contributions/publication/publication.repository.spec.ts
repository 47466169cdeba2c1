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
import { PUBLISHER_LOCK } from '../locks';
import { PublicationRepository } from './publication.repository';

const PUBLISHED_AT = new Date('2025-03-01T10:00:00Z');

/** Stores one month of one metric for `values.length` businesses of a tenant, straight into the tables. */
async function contribute(
  database: Database,
  tenantId: string,
  values: readonly number[],
  cell = { industry: 'retail', size: 'small', region: 'midwest' },
): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.execute(
      sql`insert into tenants (tenant_id, name, key_hash, created_at) values (${tenantId}::uuid, 't', ${randomUUID()}, now()) on conflict do nothing`,
    );
    for (const [i, value] of values.entries()) {
      const hash = createHash('sha256')
        .update(`${tenantId}-${cell.region}-${i}`)
        .digest('hex');
      await tx.execute(
        sql`insert into business_months values (${tenantId}::uuid, ${hash}, '2025-02-01', ${cell.industry}, ${cell.size}, ${cell.region}, now())`,
      );
      await tx.execute(
        sql`insert into contribution_values values (${tenantId}::uuid, ${hash}, '2025-02-01', 'profit_margin', ${value})`,
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
      repository.publish({ minPeers, minTenants }, PUBLISHED_AT, 0, () => 7);
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

behavesAsAPublisher('on the embedded database', () => {
  const data = temporaryDataDir();
  return Promise.resolve({
    database: createDatabase({ dataDir: data.dir, timeoutMs: 2000 }),
    dispose: () => Promise.resolve(data.remove()),
  });
});

describeWithPostgres('on a PostgreSQL server', () => {
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
        await repository.publish(
          { minPeers: 30, minTenants: 1 },
          PUBLISHED_AT,
          0,
          () => 1,
        ),
      ).toMatchObject({ publicationId: 1 });
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = other.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${PUBLISHER_LOCK})`);
        locked();
        await held;
      });
      await isLocked;
      expect(
        await repository.publish(
          { minPeers: 30, minTenants: 1 },
          PUBLISHED_AT,
          0,
          () => 1,
        ),
      ).toBeUndefined();
      release();
      await holding;
      expect((await repository.current())?.publicationId).toBe(1);
    } finally {
      await mine.close();
      await other.close();
      await server.drop();
    }
  }, 60_000);
});
