import { setUpPostgres } from './postgres-global-setup';
import redisGlobalSetup from './redis-global-setup';

/** Jest global setup of both suites: a Redis and a PostgreSQL server for the tests that need them. */
export default async function globalSetup(): Promise<void> {
  await redisGlobalSetup();
  await setUpPostgres();
}
