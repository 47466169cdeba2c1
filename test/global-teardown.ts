import { databasesOfRun, dropDatabase } from './utils/postgres-admin';
import redisGlobalTeardown from './redis-global-teardown';

/** Stops the private Redis and drops any database this run created and did not drop (a test that failed midway). */
export default async function globalTeardown(): Promise<void> {
  await redisGlobalTeardown();
  const run = process.env.TEST_POSTGRES_RUN;
  if (process.env.TEST_POSTGRES_URL && run) {
    for (const name of await databasesOfRun(run)) await dropDatabase(name);
  }
}
