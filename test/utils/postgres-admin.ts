import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The test PostgreSQL server's maintenance URL (see the global setup), or undefined. */
const TEST_POSTGRES_URL: string | undefined = process.env.TEST_POSTGRES_URL;

/** Every database a test run creates starts with this and the run's id, so the teardown can drop what is left. */
export const TEST_DATABASE_PREFIX = 'bmtest_';

/** A database of this test's own on the test server, created now; `drop()` removes it and every connection to it. */
export interface PrivateDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

async function withMaintenance<T>(
  work: (client: Client) => Promise<T>,
): Promise<T> {
  if (!TEST_POSTGRES_URL) throw new Error('No test PostgreSQL server');
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createPrivateDatabase(): Promise<PrivateDatabase> {
  const run = process.env.TEST_POSTGRES_RUN ?? 'adhoc';
  const name = `${TEST_DATABASE_PREFIX}${run}_${randomBytes(5).toString('hex')}`;
  await withMaintenance((client) => client.query(`create database ${name}`));
  const url = new URL(TEST_POSTGRES_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => dropDatabase(name),
  };
}

export async function dropDatabase(name: string): Promise<void> {
  await withMaintenance((client) =>
    client.query(`drop database if exists ${name} with (force)`),
  );
}

/** The names of this run's databases still on the server. */
export async function databasesOfRun(run: string): Promise<string[]> {
  return withMaintenance(async (client) => {
    const result = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`${TEST_DATABASE_PREFIX}${run}\\_%`],
    );
    return result.rows.map((row) => row.datname);
  });
}
