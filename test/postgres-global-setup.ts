import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The machine's PostgreSQL, as CI and the developers' machines run it (trust auth on 127.0.0.1). */
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Jest global setup: finds the PostgreSQL server tests create their private databases on (TEST_POSTGRES_URL, a
 * maintenance database of a role that may create databases; else the machine's default) and names this run, so the
 * teardown drops every database the run left. No server: the PostgreSQL suites skip with a loud message, except under
 * CI=true, where this fails.
 */
export async function setUpPostgres(): Promise<void> {
  const url = process.env.TEST_POSTGRES_URL ?? DEFAULT_URL;
  const probe = new Client({
    connectionString: url,
    connectionTimeoutMillis: 2000,
  });
  try {
    await probe.connect();
    await probe.query('select 1');
    process.env.TEST_POSTGRES_URL = url;
    process.env.TEST_POSTGRES_RUN = randomBytes(4).toString('hex');
  } catch (error) {
    delete process.env.TEST_POSTGRES_URL;
    if (process.env.CI === 'true')
      throw new Error(
        `CI=true but no PostgreSQL answers at ${new URL(url).host}: start it or set TEST_POSTGRES_URL (${(error as Error).message})`,
        { cause: error },
      );
    console.warn(
      `\n\n*** NO POSTGRESQL at ${new URL(url).host}: the PostgreSQL suites are SKIPPED (the embedded ones run). Start PostgreSQL or set TEST_POSTGRES_URL to run them. ***\n\n`,
    );
  } finally {
    await probe.end().catch(() => undefined);
  }
}
