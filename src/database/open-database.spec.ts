import { sql } from 'drizzle-orm';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TcpProxy } from '../../tools/tcp-proxy/tcp-proxy';
import {
  createPrivateDatabase,
  describeWithPostgres,
  temporaryDataDir,
  type PrivateDatabase,
} from '../../test/utils/postgres-test-env';
import {
  DatabaseStatementError,
  DatabaseTimeoutError,
  DatabaseUnavailableError,
  rowsOf,
  type Database,
} from './database';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { createDatabase } from './open-database';
import { PGLITE_TEMPLATE, readTemplateManifest } from './pglite-template';

const TABLES = [
  'business_months',
  'contribution_values',
  'current_publication',
  'erased_slices',
  'publication_slices',
  'publications',
  'published_cells',
  'schema_migrations',
  'tenants',
];

async function tablesOf(database: Database): Promise<string[]> {
  const rows = await rowsOf<{ table_name: string }>(
    await database.db(),
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((r) => r.table_name).sort();
}

/** The same behaviour from both kinds of database. */
function behavesAsADatabase(
  label: string,
  storage: () => Promise<{ open(): Database; dispose(): Promise<void> }>,
): void {
  describe(label, () => {
    let place: Awaited<ReturnType<typeof storage>>;
    const opened: Database[] = [];
    const open = (): Database => {
      const database = place.open();
      opened.push(database);
      return database;
    };
    beforeAll(async () => {
      place = await storage();
    }, 60_000);
    afterAll(async () => {
      for (const database of opened) await database.close();
      await place.dispose();
    });

    it('should create every table on first use and apply nothing when opened again', async () => {
      const first = open();
      expect(first.isOpen()).toBe(false);
      expect(await tablesOf(first)).toEqual(TABLES);
      expect(first.isOpen()).toBe(true);
      await first.close();
      expect(first.isOpen()).toBe(false);
      const again = open();
      await expect(migrate((work) => again.transaction(work))).resolves.toEqual(
        [],
      );
      const applied = await rowsOf<{ id: string }>(
        await again.db(),
        sql`select id from schema_migrations order by id`,
      );
      expect(applied.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
      await again.close();
    }, 60_000);

    it('should refuse a database migrated by a newer version, naming the migration', async () => {
      const database = open();
      const db = await database.db();
      await db.execute(
        sql`insert into schema_migrations (id) values ('9999-from-the-future')`,
      );
      await expect(
        migrate((work) => database.transaction(work)),
      ).rejects.toThrow(
        /migrations this version does not know \(9999-from-the-future\)/,
      );
      await db.execute(
        sql`delete from schema_migrations where id = '9999-from-the-future'`,
      );
      await database.close();
    }, 60_000);

    it('should report a failed statement by its SQLSTATE only, never its parameters', async () => {
      const database = open();
      const secretValue = 'value-that-must-not-leak-48213';
      const failure = await database
        .run((db) =>
          db.execute(
            sql`insert into tenants (tenant_id, name, key_hash, created_at) values (${'not-a-uuid'}, ${secretValue}, 'x', now())`,
          ),
        )
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseStatementError);
      expect((failure as Error).message).toBe(
        'A database statement failed (SQLSTATE 22P02)',
      );
      expect(JSON.stringify(failure)).not.toContain(secretValue);
      expect((failure as Error).stack).not.toContain(secretValue);
      await database.close();
    }, 60_000);

    it('should run one holder of a lock at a time, say who holds it, and free it when the work ends or fails', async () => {
      const database = open();
      const KEY = 728_193_999;
      expect(await database.lockHeld(KEY)).toBe(false);
      let release!: () => void;
      let reached!: () => void;
      const inside = new Promise<void>((resolve) => (reached = resolve));
      const holding = database.withLock(KEY, async (session) => {
        const rows = await session.transaction(
          (tx) => rowsOf<{ one: number }>(tx, sql`select 1 as one`),
          1000,
        );
        const released = new Promise<void>((resolve) => (release = resolve));
        reached();
        await released;
        return rows[0].one;
      });
      await inside;
      expect(await database.lockHeld(KEY)).toBe(true);
      await expect(
        database.withLock(KEY, () => Promise.resolve('ran')),
      ).resolves.toBeUndefined();
      release();
      await expect(holding).resolves.toBe(1);
      expect(await database.lockHeld(KEY)).toBe(false);
      const failure = new Error('the job failed');
      await expect(
        database.withLock(KEY, () => Promise.reject(failure)),
      ).rejects.toBe(failure);
      expect(await database.lockHeld(KEY)).toBe(false);
      await expect(
        database.withLock(KEY, () => Promise.resolve('again')),
      ).resolves.toBe('again');
      await database.close();
    }, 60_000);
  });
}

behavesAsADatabase('the embedded database (PGlite)', () => {
  const data = temporaryDataDir();
  return Promise.resolve({
    open: () => createDatabase({ dataDir: data.dir, timeoutMs: 2000 }),
    dispose: () => Promise.resolve(data.remove()),
  });
});

describeWithPostgres('on a PostgreSQL server', () => {
  behavesAsADatabase('a PostgreSQL server', async () => {
    const database: PrivateDatabase = await createPrivateDatabase();
    return {
      open: () =>
        createDatabase({
          url: database.url,
          dataDir: '/nonexistent',
          timeoutMs: 2000,
        }),
      dispose: () => database.drop(),
    };
  });

  it('should migrate once when several instances start together', async () => {
    const database = await createPrivateDatabase();
    const instances = [1, 2, 3, 4].map(() =>
      createDatabase({
        url: database.url,
        dataDir: '/nonexistent',
        timeoutMs: 5000,
      }),
    );
    try {
      await Promise.all(instances.map((i) => i.db()));
      const applied = await rowsOf<{ id: string }>(
        await instances[0].db(),
        sql`select id from schema_migrations`,
      );
      expect(applied.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    } finally {
      for (const instance of instances) await instance.close();
      await database.drop();
    }
  }, 60_000);
});

describeWithPostgres('statement timeouts on a PostgreSQL server', () => {
  it("should answer DatabaseTimeoutError when a statement passes DATABASE_TIMEOUT_MS, and bound a job's session by its own timeout", async () => {
    const server = await createPrivateDatabase();
    const database = createDatabase({
      url: server.url,
      dataDir: '/nonexistent',
      timeoutMs: 300,
    });
    try {
      const slow = await database
        .run((db) => db.execute(sql`select pg_sleep(2)`))
        .catch((error: unknown) => error);
      expect(slow).toBeInstanceOf(DatabaseTimeoutError);
      expect((slow as Error).message).toBe(
        'The database did not answer in time (57014)',
      );
      // A job's session is not held to DATABASE_TIMEOUT_MS (300 ms) but to what it asks for.
      const result = await database.withLock(728_193_998, async (session) => {
        const long = await session.transaction(
          (tx) =>
            rowsOf<{ ok: number }>(tx, sql`select pg_sleep(0.5), 1 as ok`),
          10_000,
        );
        const cut = await session
          .transaction((tx) => tx.execute(sql`select pg_sleep(2)`), 200)
          .catch((error: unknown) => error);
        return { long: long[0].ok, cut };
      });
      expect(result?.long).toBe(1);
      expect(result?.cut).toBeInstanceOf(DatabaseTimeoutError);
    } finally {
      await database.close();
      await server.drop();
    }
  }, 60_000);
});

describeWithPostgres('a PostgreSQL server that goes away', () => {
  it('should fail a transaction whose connection died, then answer again and close promptly', async () => {
    const database = await createPrivateDatabase();
    const target = new URL(database.url);
    const proxy = await TcpProxy.start({
      host: target.hostname,
      port: Number(target.port || 5432),
    });
    const db = createDatabase({
      url: proxy.through(database.url),
      dataDir: '/nonexistent',
      // Closing must not wait for a bound: a generous one, so that only a hang reaches it.
      timeoutMs: 20_000,
    });
    try {
      await db.run((d) => d.execute(sql`select 1`));
      // The pooled connection dies under it: BEGIN fails on it (drizzle's own transaction kept it checked out).
      await proxy.down();
      await expect(
        db.transaction((tx) => tx.execute(sql`select 1`)),
      ).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await proxy.up();
      await expect(
        db.transaction(async (tx) => rowsOf(tx, sql`select 1 as one`)),
      ).resolves.toEqual([{ one: 1 }]);
      const started = Date.now();
      await db.close();
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await db.close();
      await proxy.down();
      await database.drop();
    }
  }, 30_000);
});

describe('an unreachable PostgreSQL server', () => {
  it('should answer DatabaseUnavailableError without the URL, and try again on the next call', async () => {
    const url = 'postgres://someone:hunter2secret@127.0.0.1:1/benchmarks';
    const database = createDatabase({
      url,
      dataDir: '/nonexistent',
      timeoutMs: 500,
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const failure = await database.db().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseUnavailableError);
      expect((failure as Error).message).toMatch(
        /^The database is unavailable/,
      );
      expect((failure as Error).message).not.toContain('hunter2secret');
    }
    await database.close();
  });
});

/** Prints the migrations the PGlite database in argv[1] holds, opened by PGlite alone in a process of its own. */
const REOPEN = `
const { PGlite } = require('@electric-sql/pglite');
(async () => {
  const pg = new PGlite(process.argv[1]);
  const { rows } = await pg.query('select id from schema_migrations order by id');
  await pg.close();
  console.log(JSON.stringify(rows.map((row) => row.id)));
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('the embedded database directory', () => {
  it('should be created from the template, migrated, run with 16MB of shared buffers, and then opened by another process', async () => {
    const data = temporaryDataDir();
    const database = createDatabase({ dataDir: data.dir, timeoutMs: 2000 });
    try {
      const [control] = await rowsOf<{ id: string }>(
        await database.db(),
        sql`select system_identifier::text as id from pg_control_system()`,
      );
      expect(control.id).toBe(
        readTemplateManifest(PGLITE_TEMPLATE)!.systemIdentifier,
      );
      const [buffers] = await rowsOf<{ shared_buffers: string }>(
        await database.db(),
        sql`show shared_buffers`,
      );
      expect(buffers.shared_buffers).toBe('16MB');
      await database.close();
      const reopened = spawnSync(
        process.execPath,
        ['-e', REOPEN, join(data.dir, 'pglite')],
        { cwd: join(__dirname, '..', '..'), encoding: 'utf8' },
      );
      expect(reopened.stderr).toBe('');
      expect(JSON.parse(reopened.stdout)).toEqual(MIGRATIONS.map((m) => m.id));
    } finally {
      await database.close();
      data.remove();
    }
  }, 60_000);

  it('should refuse a directory another live process holds, and take over one whose holder is gone', async () => {
    const data = temporaryDataDir();
    try {
      writeFileSync(join(data.dir, 'pglite.pid'), '1'); // init: always alive
      const held = createDatabase({ dataDir: data.dir, timeoutMs: 2000 });
      await expect(held.db()).rejects.toThrow(
        /in use by process 1: run one instance per DATA_DIR, or set DATABASE_URL/,
      );
      await held.close();
      writeFileSync(join(data.dir, 'pglite.pid'), '2147483646'); // no such process
      const taken = createDatabase({ dataDir: data.dir, timeoutMs: 2000 });
      await expect(taken.db()).resolves.toBeDefined();
      await taken.close();
    } finally {
      data.remove();
    }
  }, 60_000);

  it('should say which directory could not be created and why when PGlite throws a non-Error', async () => {
    const data = temporaryDataDir();
    // PGlite's creation then fails writing its configuration: an Emscripten ErrnoError, a plain object.
    mkdirSync(join(data.dir, 'pglite', 'postgresql.conf'), { recursive: true });
    const database = createDatabase({ dataDir: data.dir, timeoutMs: 2000 });
    try {
      const failure = await database.db().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseUnavailableError);
      expect((failure as Error).message).toBe(
        `Could not create the embedded database in ${join(data.dir, 'pglite')}: a directory where a file was expected (EISDIR), PGlite's ErrnoError (errno 31)`,
      );
      expect(existsSync(join(data.dir, 'pglite.pid'))).toBe(false);
    } finally {
      await database.close();
      data.remove();
    }
  }, 60_000);

  it('should say which directory could not be opened, and which could not be made', async () => {
    const data = temporaryDataDir();
    try {
      mkdirSync(join(data.dir, 'damaged', 'pglite'), { recursive: true });
      writeFileSync(join(data.dir, 'damaged', 'pglite', 'PG_VERSION'), 'x\n');
      const damaged = createDatabase({
        dataDir: join(data.dir, 'damaged'),
        timeoutMs: 2000,
      });
      await expect(damaged.db()).rejects.toThrow(
        `Could not open the embedded database in ${join(data.dir, 'damaged', 'pglite')}: `,
      );
      await damaged.close();
      mkdirSync(join(data.dir, 'blocked'));
      writeFileSync(join(data.dir, 'blocked', 'pglite'), '');
      const blocked = createDatabase({
        dataDir: join(data.dir, 'blocked'),
        timeoutMs: 2000,
      });
      await expect(blocked.db()).rejects.toThrow(
        `Could not create the embedded database in ${join(data.dir, 'blocked', 'pglite')}: EEXIST`,
      );
      await blocked.close();
    } finally {
      data.remove();
    }
  }, 60_000);

  it('should refuse a second instance on a directory this process has open', async () => {
    const data = temporaryDataDir();
    const first = createDatabase({ dataDir: data.dir, timeoutMs: 2000 });
    try {
      await first.db();
      const second = createDatabase({ dataDir: data.dir, timeoutMs: 2000 });
      await expect(second.db()).rejects.toThrow(/already open in this process/);
      await second.close();
    } finally {
      await first.close();
      data.remove();
    }
  }, 60_000);
});
